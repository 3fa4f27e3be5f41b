// Where NVRTC, cuBLAS and cuDNN come from: one complete set, never a mix. cuDNN 9 loads its sub-libraries by name, so a
// wheel's libcudnn.so.9 beside the system's sub-libraries fails at the first RNN call (SUBLIBRARY_VERSION_MISMATCH).
// The sets, in order: the folders of TEXTGEN_CUDA_LIBRARY_PATH; the CUDA toolkit with the system's cuDNN; PyTorch's wheels.
namespace TextGen.Cuda.Interop;

/// <summary>One complete set of the NVIDIA libraries the engine loads, and where it was found.</summary>
/// <param name="Source">Which set: <c>TEXTGEN_CUDA_LIBRARY_PATH</c>, <c>CUDA toolkit</c> or <c>PyTorch wheels</c>.</param>
/// <param name="Files">Every file to load, in load order: companions (cublasLt, cuDNN's sub-libraries, NVRTC's built-ins) before the
/// library that needs them is called; keyed by file name.</param>
public sealed record CudaLibrarySet(string Source, IReadOnlyList<string> Files)
{
    /// <summary>The file of a logical library (<c>nvrtc</c>, <c>cublas</c>, <c>cudnn</c>) in this set.</summary>
    public string PathOf(string logicalName)
    {
        var names = NativeLibraries.FileNamesOf(logicalName);
        return Files.FirstOrDefault(f => names.Contains(Path.GetFileName(f)))
            ?? throw new ArgumentException($"the {Source} set holds no {string.Join("/", names)}", nameof(logicalName));
    }

    /// <summary>The folders the set's files lie in.</summary>
    public IEnumerable<string> Directories => Files.Select(f => Path.GetDirectoryName(f)!).Distinct();

    /// <inheritdoc />
    public override string ToString() => $"{Source} ({string.Join(", ", Directories)})";
}

/// <summary>The folders a search looks in; <see cref="Standard"/> gives this machine's, tests plant their own.</summary>
/// <param name="ExplicitPath">The value of <see cref="NativeLibraries.PathVariable"/>: folders that must hold a complete set, or null.</param>
/// <param name="Toolkit">The CUDA toolkit's library folders (NVRTC, cuBLAS, sometimes cuDNN).</param>
/// <param name="System">The system's library folders (a packaged cuDNN, or a packaged toolkit).</param>
/// <param name="SitePackages">Python site-packages folders whose <c>nvidia/</c> may hold PyTorch's wheels.</param>
internal sealed record LibrarySearch(string? ExplicitPath, IReadOnlyList<string> Toolkit, IReadOnlyList<string> System, IReadOnlyList<string> SitePackages)
{
    /// <summary>This machine's folders under <paramref name="root"/> (a planted tree in tests), with the CUDA_HOME and Python environment variables.</summary>
    public static LibrarySearch Standard(string root = "/", Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        string R(string path) => Path.Combine(root, path.TrimStart('/'));
        var toolkitRoots = new List<string>();
        foreach (var variable in new[] { "CUDA_HOME", "CUDA_PATH" })
            if (environment(variable) is { Length: > 0 } home) toolkitRoots.Add(home);
        toolkitRoots.Add(R("/usr/local/cuda"));
        var toolkit = toolkitRoots.SelectMany(t => new[] { Path.Combine(t, "lib64"), Path.Combine(t, "targets/x86_64-linux/lib"), Path.Combine(t, "lib") }).ToList();
        string[] system = [R("/usr/lib/x86_64-linux-gnu"), R("/lib/x86_64-linux-gnu"), R("/usr/lib64"), R("/usr/lib")];
        var pythonHomes = new List<string>();
        foreach (var variable in new[] { "VIRTUAL_ENV", "CONDA_PREFIX" })
            if (environment(variable) is { Length: > 0 } env) pythonHomes.Add(env);
        if (environment("HOME") is { Length: > 0 } home2) pythonHomes.Add(Path.Combine(home2, ".local"));
        pythonHomes.AddRange([R("/usr/local"), R("/usr"), R("/opt/conda")]);
        var sitePackages = new List<string>();
        foreach (var home in pythonHomes)
        {
            var lib = Path.Combine(home, "lib");
            if (!Directory.Exists(lib)) continue;
            foreach (var python in Directory.EnumerateDirectories(lib, "python3*").Order(StringComparer.Ordinal))
                foreach (var kind in new[] { "site-packages", "dist-packages" })
                    sitePackages.Add(Path.Combine(python, kind));
        }
        return new LibrarySearch(environment(NativeLibraries.PathVariable), toolkit, system, sitePackages);
    }
}

/// <summary>Finds the first complete library set by file names alone (nothing is loaded), or says for each set what it lacks.</summary>
internal static class LibraryDiscovery
{
    /// <summary>cuDNN 9's sub-libraries that the RNN API needs beside <c>libcudnn.so.9</c>.</summary>
    public static IReadOnlyList<string> CudnnParts { get; } = ["libcudnn_graph.so.9", "libcudnn_ops.so.9", "libcudnn_adv.so.9"];

    /// <summary>The chosen set, or null and one line per set tried saying what it lacks.</summary>
    public static (CudaLibrarySet? Set, IReadOnlyList<string> Rejected) Discover(LibrarySearch search)
    {
        var rejected = new List<string>();
        if (!string.IsNullOrWhiteSpace(search.ExplicitPath))
        {
            // An explicit path is the user's choice: it must be complete, and nothing else is tried behind it.
            var dirs = search.ExplicitPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var set = Complete(NativeLibraries.PathVariable, dirs, dirs, out var missing);
            return set is not null ? (set, rejected) : (null, [$"{NativeLibraries.PathVariable} ({string.Join(", ", dirs)}) lacks {missing}"]);
        }
        var toolkit = Complete("CUDA toolkit", [.. search.Toolkit, .. search.System], [.. search.Toolkit, .. search.System], out var toolkitMissing);
        if (toolkit is not null) return (toolkit, rejected);
        rejected.Add($"CUDA toolkit and system libraries lack {toolkitMissing}");
        foreach (var site in search.SitePackages)
        {
            string nvidia = Path.Combine(site, "nvidia");
            if (!Directory.Exists(nvidia)) continue;
            string[] cuda = [Path.Combine(nvidia, "cu13", "lib"), Path.Combine(nvidia, "cublas", "lib"), Path.Combine(nvidia, "cuda_nvrtc", "lib")];
            var wheels = Complete("PyTorch wheels", cuda, [Path.Combine(nvidia, "cudnn", "lib")], out var wheelMissing);
            if (wheels is not null) return (wheels, rejected);
            rejected.Add($"PyTorch wheels in {nvidia} lack {wheelMissing}");
        }
        if (rejected.Count == 1) rejected.Add("no PyTorch wheels (site-packages/nvidia) were found");
        return (null, rejected);
    }

    // NVRTC and cuBLAS of one CUDA major version from cudaDirs, cuDNN with its sub-libraries from one folder of cudnnDirs.
    private static CudaLibrarySet? Complete(string source, IReadOnlyList<string> cudaDirs, IReadOnlyList<string> cudnnDirs, out string missing)
    {
        var files = new List<string>();
        var lacks = new List<string>();
        string? cudnnDir = cudnnDirs.FirstOrDefault(d => File.Exists(Path.Combine(d, "libcudnn.so.9")) && CudnnParts.All(p => File.Exists(Path.Combine(d, p))));
        if (cudnnDir is null)
        {
            bool partial = cudnnDirs.Any(d => File.Exists(Path.Combine(d, "libcudnn.so.9")));
            lacks.Add(partial ? $"cuDNN 9's sub-libraries ({string.Join(", ", CudnnParts)}) beside libcudnn.so.9" : "libcudnn.so.9");
        }
        string? Find(string name) => cudaDirs.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
        int? major = new[] { 13, 12 }.Cast<int?>().FirstOrDefault(m => Find($"libnvrtc.so.{m}") is not null && Find($"libcublas.so.{m}") is not null && Find($"libcublasLt.so.{m}") is not null);
        if (major is null)
        {
            int before = lacks.Count;
            if (Find("libnvrtc.so.13") is null && Find("libnvrtc.so.12") is null) lacks.Add("libnvrtc.so.13/libnvrtc.so.12");
            if (Find("libcublas.so.13") is null && Find("libcublas.so.12") is null) lacks.Add("libcublas.so.13/libcublas.so.12");
            else if (Find("libcublasLt.so.13") is null && Find("libcublasLt.so.12") is null) lacks.Add("libcublasLt beside libcublas");
            if (lacks.Count == before) lacks.Add("NVRTC and cuBLAS of one CUDA version (13 or 12) side by side");
        }
        missing = string.Join(", ", lacks);
        if (lacks.Count > 0) return null;

        string nvrtc = Find($"libnvrtc.so.{major}")!;
        // NVRTC opens its built-ins by name while compiling: load the one beside it first, so that name finds it.
        var builtins = Directory.EnumerateFiles(Path.GetDirectoryName(nvrtc)!, $"libnvrtc-builtins.so.{major}*").Order(StringComparer.Ordinal).FirstOrDefault();
        if (builtins is not null) files.Add(builtins);
        files.Add(nvrtc);
        files.Add(Find($"libcublasLt.so.{major}")!);   // libcublas needs it by name
        files.Add(Find($"libcublas.so.{major}")!);
        files.Add(Path.Combine(cudnnDir!, "libcudnn.so.9"));
        // Every sub-library of this cuDNN, graph first: loaded by path, they answer cuDNN's own lookups by name, so no other copy can.
        var parts = Directory.EnumerateFiles(cudnnDir!, "libcudnn_*.so.9").Order(StringComparer.Ordinal).ToList();
        files.AddRange(parts.Where(p => p.EndsWith("libcudnn_graph.so.9", StringComparison.Ordinal)));
        files.AddRange(parts.Where(p => !p.EndsWith("libcudnn_graph.so.9", StringComparison.Ordinal)));
        return new CudaLibrarySet(source, files);
    }
}
