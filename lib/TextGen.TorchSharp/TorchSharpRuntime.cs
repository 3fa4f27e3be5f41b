// Loads TorchSharp's native library once per process, stepping past Debian 12's libstdc++ gap when it is the only
// obstacle, and otherwise failing with one line that names the cause and the fix.
using System.Runtime.InteropServices;
using TorchSharp;

namespace TextGen.TorchSharp;

/// <summary>TorchSharp cannot run in this process; the message is one line naming the cause and the fix.</summary>
/// <remarks>A <see cref="NotSupportedException"/>, so that callers which do not reference TorchSharp (the CLI) report it as the one line it is.</remarks>
public sealed class TorchSharpUnavailableException(string message, Exception? inner = null) : NotSupportedException(message, inner);

/// <summary>How TorchSharp's native library was loaded: as shipped, or as a copy that tolerates an older libstdc++.</summary>
public enum TorchSharpLoad
{
    /// <summary>The shipped libLibTorchSharp.so loaded unchanged (Ubuntu 24.04, Debian 13, macOS, Windows).</summary>
    AsShipped,
    /// <summary>A copy with its GLIBCXX_3.4.32 need marked weak loaded instead (Debian 12's libstdc++ stops at 3.4.30).</summary>
    CompatibilityCopy,
}

/// <summary>Makes TorchSharp usable: call <see cref="EnsureLoaded"/> before the first <c>torch</c> call.</summary>
/// <remarks>
/// libLibTorchSharp.so 0.107 was built with GCC 13, whose <c>&lt;iostream&gt;</c> names
/// <c>std::ios_base_library_init()</c> at version GLIBCXX_3.4.32 only so that the program needs a libstdc++ that
/// initialises the standard streams itself; the library has no relocation against it, and GCC 12's libstdc++ (and
/// libtorch's own objects) initialise the streams as before. So on a libstdc++ that lacks 3.4.32, and only for that
/// reason, the loader writes a copy whose need for that version is weak (one flag in .gnu.version_r) to a cache folder,
/// loads libtorch from where TorchSharp's packages put it, then the copy, and points TorchSharp's P/Invokes at it.
/// Where the shipped library loads, nothing is copied. Call this before anything touches <c>torch</c>: TorchSharp's
/// static constructor loads the native library itself, and when that fails (as it does on Debian 12) it copies libtorch
/// (about 480 MB) into a <c>cpu</c> folder beside the app and stays unusable for the life of the process.
/// </remarks>
public static class TorchSharpRuntime
{
    private const string MissingVersion = "GLIBCXX_3.4.32";
    private static readonly Lock Gate = new();
    private static TorchSharpLoad? loaded;
    private static TorchSharpUnavailableException? failure;
    private static nint compatHandle;

    /// <summary>Loads TorchSharp's native code once; throws <see cref="TorchSharpUnavailableException"/> when it cannot.</summary>
    public static TorchSharpLoad EnsureLoaded()
    {
        lock (Gate)
        {
            if (loaded is { } done) return done;
            if (failure is not null) throw failure;
            try
            {
                loaded = Load();
                return loaded.Value;
            }
            catch (TorchSharpUnavailableException e)
            {
                failure = e;
                throw;
            }
        }
    }

    /// <summary>Null when TorchSharp loads, else the one-line reason; for cells and tests that go on without it.</summary>
    public static string? WhyUnavailable()
    {
        try { EnsureLoaded(); return null; }
        catch (TorchSharpUnavailableException e) { return e.Message; }
    }

    /// <summary>One line for <c>textgen doctor</c>: how TorchSharp loaded, or why it cannot.</summary>
    public static string Summary()
    {
        string version = typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "?";
        if (WhyUnavailable() is { } why) return why;
        return loaded == TorchSharpLoad.AsShipped
            ? $"TorchSharp {version}: loads as shipped"
            : $"TorchSharp {version}: loads through a compatibility copy (this libstdc++ lacks {MissingVersion}; see TorchSharpRuntime)";
    }

    private static TorchSharpLoad Load()
    {
        if (!OperatingSystem.IsLinux()) return Initialise(TorchSharpLoad.AsShipped);
        string shipped = FindShipped();
        // libtorch first: where TorchSharp runs from NuGet's cache (the CLI's engine load context, a notebook's #r)
        // libtorch sits in another package, so the $ORIGIN runpath of libLibTorchSharp.so does not reach it.
        LoadLibTorch();
        string? error = TryLoad(shipped, out _);
        if (error is null) return Initialise(TorchSharpLoad.AsShipped);
        if (!error.Contains(MissingVersion, StringComparison.Ordinal))
            throw new TorchSharpUnavailableException(UnavailableMessage(error));

        string copy = CompatibilityCopy(shipped);
        // The copy sits outside TorchSharp's folders, so its $ORIGIN runpath finds nothing: load libtorch first, by the
        // runtime's own probing of the packages, and the copy's needs of libtorch.so, libc10.so and libtorch_cpu.so
        // are met by the loaded libraries' sonames.
        if (!LoadLibTorch())
            throw new TorchSharpUnavailableException(
                "TorchSharp cannot load: libtorch.so was not found beside TorchSharp. Fix: restore the TorchSharp-cpu package (dotnet restore).");
        error = TryLoad(copy, out compatHandle);
        if (error is not null)
            throw new TorchSharpUnavailableException(
                $"TorchSharp cannot load even with {MissingVersion} made optional: {OneLine(error)}. Fix: use a system with GCC 13's libstdc++ (Ubuntu 24.04, Debian 13).");
        NativeLibrary.SetDllImportResolver(typeof(torch).Assembly,
            (name, _, _) => name.Contains("LibTorchSharp", StringComparison.Ordinal) ? compatHandle : 0);
        return Initialise(TorchSharpLoad.CompatibilityCopy);
    }

    // TorchSharp's own first call: it checks the native backend and fails with its own trace if anything is amiss.
    private static TorchSharpLoad Initialise(TorchSharpLoad how)
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            return how;
        }
        catch (Exception e) when (e is not TorchSharpUnavailableException)
        {
            throw new TorchSharpUnavailableException($"TorchSharp cannot start: {OneLine(e.Message)}. Fix: restore the TorchSharp-cpu package (dotnet restore).", e);
        }
    }

    // The package's libtorch by its path first: a kernel's #r loads TorchSharp.dll from NuGet's cache with no deps.json,
    // and the runtime's probing then falls back to dlopen's search, which finds a system libtorch (Debian's python3-torch
    // 1.13) whose libc10 lacks the symbols libLibTorchSharp.so needs. Elsewhere the runtime's probing finds the right one.
    private static bool LoadLibTorch()
    {
        string torchDir = Path.GetDirectoryName(typeof(torch).Assembly.Location) ?? AppContext.BaseDirectory;
        if (LibTorchInPackages(torchDir) is { } path && NativeLibrary.TryLoad(path, out _)) return true;
        return NativeLibrary.TryLoad("torch", typeof(torch).Assembly, null, out _);
    }

    /// <summary>
    /// libtorch.so in NuGet's package folder that holds TorchSharp (…/torchsharp/VERSION/lib/TFM), newest version first;
    /// null when there is none.
    /// </summary>
    internal static string? LibTorchInPackages(string torchAssemblyDir)
    {
        var packages = new DirectoryInfo(Path.GetFullPath(Path.Combine(torchAssemblyDir, "..", "..", "..", "..")));
        var libtorch = new DirectoryInfo(Path.Combine(packages.FullName, "libtorch-cpu-linux-x64"));
        if (!libtorch.Exists) return null;
        return libtorch.GetDirectories()
            .OrderByDescending(d => Version.TryParse(d.Name, out var v) ? v : new Version())
            .Select(d => Path.Combine(d.FullName, "runtimes", "linux-x64", "native", "libtorch.so"))
            .FirstOrDefault(File.Exists);
    }

    // libLibTorchSharp.so as restored: beside the app (a build's output) or in the NuGet package beside TorchSharp.dll.
    private static string FindShipped()
    {
        const string file = "libLibTorchSharp.so";
        string torchDir = Path.GetDirectoryName(typeof(torch).Assembly.Location) ?? AppContext.BaseDirectory;
        string[] candidates =
        [
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", file),
            Path.Combine(AppContext.BaseDirectory, file),
            Path.Combine(torchDir, "runtimes", "linux-x64", "native", file),
            Path.GetFullPath(Path.Combine(torchDir, "..", "..", "runtimes", "linux-x64", "native", file)),
        ];
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new TorchSharpUnavailableException($"TorchSharp cannot load: {file} is not beside the app or TorchSharp.dll. Fix: restore the TorchSharp-cpu package (dotnet restore).");
    }

    // A copy of the shipped library with the GLIBCXX_3.4.32 need made weak, written once per shipped file's size and date.
    private static string CompatibilityCopy(string shipped)
    {
        var info = new FileInfo(shipped);
        string key = Path.Combine("textgen", "torchsharp-compat", $"{info.Length:x}-{info.LastWriteTimeUtc.Ticks:x}", info.Name);
        byte[]? bytes = null;
        IOException? lastError = null;
        foreach (string root in new[] { CacheRoot(), Path.GetTempPath() })
        {
            string copy = Path.Combine(root, key);
            if (File.Exists(copy)) return copy;
            bytes ??= File.ReadAllBytes(shipped);
            if (!ElfVersionNeeds.MarkWeak(bytes, "libstdc++.so.6", MissingVersion))
                throw new TorchSharpUnavailableException($"TorchSharp cannot load: this libstdc++ lacks {MissingVersion}, but {shipped} does not list it. Fix: use a system with GCC 13's libstdc++ (Ubuntu 24.04, Debian 13).");
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                string temp = copy + $".{Environment.ProcessId}.tmp";
                File.WriteAllBytes(temp, bytes);
                File.Move(temp, copy, overwrite: true); // another process may have written the same bytes meanwhile
                return copy;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                lastError = new IOException(e.Message, e); // a read-only home: try the temporary folder
            }
        }
        throw new TorchSharpUnavailableException($"TorchSharp cannot load: no writable folder for its compatibility copy ({OneLine(lastError!.Message)}). Fix: set XDG_CACHE_HOME to a writable folder.");
    }

    private static string CacheRoot()
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg)) return xdg;
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home) ? Path.GetTempPath() : Path.Combine(home, ".cache");
    }

    private static string? TryLoad(string path, out nint handle)
    {
        try
        {
            handle = NativeLibrary.Load(path);
            return null;
        }
        catch (DllNotFoundException e)
        {
            handle = 0;
            return e.Message;
        }
    }

    /// <summary>The one line for a loader error (dlerror's text) that the compatibility copy cannot step past.</summary>
    internal static string UnavailableMessage(string error) =>
        $"TorchSharp cannot load: {OneLine(error)}. Fix: " + (error.Contains("GLIBC_", StringComparison.Ordinal)
            ? "TorchSharp 0.107 needs a newer glibc; use a newer system or TextGen's own engine (--engine textgen)."
            : "restore the TorchSharp-cpu package (dotnet restore), or use TextGen's own engine (--engine textgen).");

    private static string OneLine(string message) => string.Join(' ', message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.');
}
