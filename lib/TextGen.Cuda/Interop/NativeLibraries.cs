// Finds the NVIDIA libraries by their versioned file names (the toolkits ship no unversioned links), so that
// [LibraryImport("cublas")] resolves to libcublas.so.13 or .12; TEXTGEN_CUDA_LIBRARY_PATH names directories to try first.
using System.Reflection;
using System.Runtime.InteropServices;

namespace TextGen.Cuda.Interop;

/// <summary>Resolves the logical library names used by the interop classes to the installed NVIDIA libraries.</summary>
public static class NativeLibraries
{
    /// <summary>Environment variable holding directories (separated by the path separator) searched before the system paths.</summary>
    public const string PathVariable = "TEXTGEN_CUDA_LIBRARY_PATH";

    internal const string Driver = "cuda";
    internal const string Nvrtc = "nvrtc";
    internal const string CuBlas = "cublas";
    internal const string CuDnn = "cudnn";

    private static readonly Dictionary<string, string[]> FileNames = new()
    {
        [Driver] = OperatingSystem.IsWindows() ? ["nvcuda.dll"] : ["libcuda.so.1", "libcuda.so"],
        [Nvrtc] = OperatingSystem.IsWindows() ? ["nvrtc64_130_0.dll", "nvrtc64_120_0.dll"] : ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so"],
        [CuBlas] = OperatingSystem.IsWindows() ? ["cublas64_13.dll", "cublas64_12.dll"] : ["libcublas.so.13", "libcublas.so.12", "libcublas.so"],
        [CuDnn] = OperatingSystem.IsWindows() ? ["cudnn64_9.dll"] : ["libcudnn.so.9"],
    };

    private static readonly Dictionary<string, (IntPtr Handle, string Path)> Loaded = new();
    private static readonly Lock Gate = new();
    private static int registered;

    /// <summary>Installs the resolver for this assembly; safe to call any number of times.</summary>
    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref registered, 1) == 0)
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, Resolve);
    }

    /// <summary>The file names tried for a logical library, newest version first.</summary>
    public static IReadOnlyList<string> FileNamesOf(string logicalName) =>
        FileNames.TryGetValue(logicalName, out var names) ? names : throw new ArgumentException($"unknown CUDA library '{logicalName}': use cuda, nvrtc, cublas or cudnn", nameof(logicalName));

    /// <summary>Every path tried for a logical library, in order: each directory of <paramref name="searchPath"/> with each file name, then the bare file names for the system loader.</summary>
    /// <param name="logicalName">One of <c>cuda</c>, <c>nvrtc</c>, <c>cublas</c>, <c>cudnn</c>.</param>
    /// <param name="searchPath">The value of <see cref="PathVariable"/>, or null.</param>
    public static IEnumerable<string> Candidates(string logicalName, string? searchPath)
    {
        var names = FileNamesOf(logicalName);
        if (!string.IsNullOrWhiteSpace(searchPath))
            foreach (var dir in searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                foreach (var name in names)
                    yield return Path.Combine(dir, name);
        foreach (var name in names) yield return name;
    }

    /// <summary>Loads a logical library, returning its handle and the path that worked, or the reason it could not be found.</summary>
    public static bool TryLoad(string logicalName, out IntPtr handle, out string pathOrReason)
    {
        lock (Gate)
        {
            if (Loaded.TryGetValue(logicalName, out var hit))
            {
                (handle, pathOrReason) = hit;
                return true;
            }
            foreach (var candidate in Candidates(logicalName, Environment.GetEnvironmentVariable(PathVariable)))
            {
                if (NativeLibrary.TryLoad(candidate, out handle))
                {
                    Loaded[logicalName] = (handle, candidate);
                    pathOrReason = candidate;
                    return true;
                }
            }
            handle = IntPtr.Zero;
            pathOrReason = $"none of {string.Join(", ", FileNamesOf(logicalName))} could be loaded (searched {PathVariable} and the system library path)";
            return false;
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!FileNames.ContainsKey(libraryName)) return IntPtr.Zero;
        if (TryLoad(libraryName, out var handle, out var reason)) return handle;
        throw new DllNotFoundException($"CUDA library '{libraryName}': {reason}. Install it or set {PathVariable} to the directory holding it.");
    }
}
