// Resolves [LibraryImport("cublas")] and the others to files of the one library set LibraryDiscovery chose, loaded by path
// with their companions first (cublasLt, cuDNN's sub-libraries, NVRTC's built-ins), so that the libraries' own lookups by
// name find the same set. The driver is the system's libcuda.so.1, never a toolkit's stub.
using System.Reflection;
using System.Runtime.InteropServices;

namespace TextGen.Cuda.Interop;

/// <summary>Where the engine looks for the NVIDIA libraries; <see cref="PathVariable"/> overrides the search.</summary>
public static class NativeLibraries
{
    /// <summary>Environment variable holding folders (separated by the path separator) that must hold one complete set of NVRTC, cuBLAS and cuDNN.</summary>
    public const string PathVariable = "TEXTGEN_CUDA_LIBRARY_PATH";

    internal const string Driver = "cuda";
    internal const string Nvrtc = "nvrtc";
    internal const string CuBlas = "cublas";
    internal const string CuDnn = "cudnn";

    private static readonly Dictionary<string, string[]> FileNames = new()
    {
        [Driver] = OperatingSystem.IsWindows() ? ["nvcuda.dll"] : ["libcuda.so.1"],
        [Nvrtc] = OperatingSystem.IsWindows() ? ["nvrtc64_130_0.dll", "nvrtc64_120_0.dll"] : ["libnvrtc.so.13", "libnvrtc.so.12"],
        [CuBlas] = OperatingSystem.IsWindows() ? ["cublas64_13.dll", "cublas64_12.dll"] : ["libcublas.so.13", "libcublas.so.12"],
        [CuDnn] = OperatingSystem.IsWindows() ? ["cudnn64_9.dll"] : ["libcudnn.so.9"],
    };

    private static readonly Lazy<(CudaLibrarySet? Set, IReadOnlyList<string> Rejected)> Discovered = new(() => LibraryDiscovery.Discover(LibrarySearch.Standard()));
    private static readonly Dictionary<string, (IntPtr Handle, string Path)> Loaded = new();
    private static readonly Dictionary<string, string> Failed = new();
    private static readonly Lock Gate = new();
    private static bool setLoaded;
    private static int registered;

    /// <summary>The set found on this machine, or null when none is complete.</summary>
    internal static CudaLibrarySet? Set => Discovered.Value.Set;

    /// <summary>What each set tried lacked, when none was complete.</summary>
    internal static IReadOnlyList<string> Rejected => Discovered.Value.Rejected;

    /// <summary>Installs the resolver for this assembly; safe to call any number of times.</summary>
    internal static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref registered, 1) == 0)
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, Resolve);
    }

    /// <summary>The file names of a logical library, newest version first.</summary>
    internal static IReadOnlyList<string> FileNamesOf(string logicalName) =>
        FileNames.TryGetValue(logicalName, out var names) ? names : throw new ArgumentException($"unknown CUDA library '{logicalName}': use cuda, nvrtc, cublas or cudnn", nameof(logicalName));

    /// <summary>Loads a logical library, returning its handle and the file that loaded, or the reason it could not.</summary>
    internal static bool TryLoad(string logicalName, out IntPtr handle, out string pathOrReason)
    {
        var names = FileNamesOf(logicalName);
        lock (Gate)
        {
            if (Loaded.TryGetValue(logicalName, out var hit))
            {
                (handle, pathOrReason) = hit;
                return true;
            }
            handle = IntPtr.Zero;
            if (logicalName == Driver || !OperatingSystem.IsLinux())
            {
                foreach (var name in names)
                    if (NativeLibrary.TryLoad(name, out handle))
                    {
                        Loaded[logicalName] = (handle, name);
                        pathOrReason = name;
                        return true;
                    }
                pathOrReason = $"none of {string.Join(", ", names)} could be loaded from the system library path";
                return false;
            }
            if (Set is not { } set)
            {
                pathOrReason = $"no complete set of NVRTC, cuBLAS and cuDNN: {string.Join("; ", Rejected)}";
                return false;
            }
            LoadSet(set);
            string path = set.PathOf(logicalName);
            if (Failed.TryGetValue(path, out var why))
            {
                pathOrReason = $"{path} did not load: {why}";
                return false;
            }
            handle = NativeLibrary.Load(path);   // already loaded: returns the same handle
            Loaded[logicalName] = (handle, path);
            pathOrReason = path;
            return true;
        }
    }

    // Loads every file of the set by path; one that fails for a companion not yet loaded is tried again after the others.
    private static void LoadSet(CudaLibrarySet set)
    {
        if (setLoaded) return;
        setLoaded = true;
        var pending = set.Files.ToList();
        while (pending.Count > 0)
        {
            var failed = new List<string>();
            foreach (var file in pending)
            {
                try { NativeLibrary.Load(file); Failed.Remove(file); }
                catch (DllNotFoundException e) { Failed[file] = e.Message; failed.Add(file); }
            }
            if (failed.Count == pending.Count) break;
            pending = failed;
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!FileNames.ContainsKey(libraryName)) return IntPtr.Zero;
        if (TryLoad(libraryName, out var handle, out var reason)) return handle;
        throw new DllNotFoundException($"CUDA library '{libraryName}': {reason}. Install it or set {PathVariable} to the folders of one complete set.");
    }
}
