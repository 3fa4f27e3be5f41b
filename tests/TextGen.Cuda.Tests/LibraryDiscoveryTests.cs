// Library discovery on planted folder trees (empty files named like the libraries): an explicit path, then the CUDA toolkit
// with the system's cuDNN, then PyTorch's wheels; always one complete set, never a wheel's cuDNN beside a system one.
using TextGen.Cuda.Interop;
using Xunit;

namespace TextGen.Tests.Cuda;

public sealed class LibraryDiscoveryTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("textgen-libs-").FullName;
    private static readonly string[] Cudnn = ["libcudnn.so.9", "libcudnn_graph.so.9", "libcudnn_ops.so.9", "libcudnn_adv.so.9", "libcudnn_cnn.so.9"];
    private static readonly string[] Cuda13 = ["libnvrtc.so.13", "libnvrtc-builtins.so.13.0", "libcublas.so.13", "libcublasLt.so.13"];
    private const string Toolkit = "usr/local/cuda/lib64", System = "usr/lib/x86_64-linux-gnu", Site = "usr/local/lib/python3.12/dist-packages/nvidia";

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Plant(string folder, params string[] files)
    {
        string dir = Path.Combine(root, folder);
        Directory.CreateDirectory(dir);
        foreach (var f in files) File.WriteAllBytes(Path.Combine(dir, f), []);
        return dir;
    }

    private (CudaLibrarySet? Set, IReadOnlyList<string> Rejected) Discover(string? explicitPath = null) =>
        LibraryDiscovery.Discover(LibrarySearch.Standard(root, v => v == NativeLibraries.PathVariable ? explicitPath : null));

    [Fact]
    public void The_toolkit_with_the_systems_cudnn_is_one_set_companions_first()
    {
        string toolkit = Plant(Toolkit, Cuda13), system = Plant(System, Cudnn);
        Plant(Site + "/cudnn/lib", Cudnn);   // wheels present too: the toolkit set comes first

        var (set, _) = Discover();

        Assert.NotNull(set);
        Assert.Equal("CUDA toolkit", set.Source);
        Assert.Equal([
            Path.Combine(toolkit, "libnvrtc-builtins.so.13.0"), Path.Combine(toolkit, "libnvrtc.so.13"),
            Path.Combine(toolkit, "libcublasLt.so.13"), Path.Combine(toolkit, "libcublas.so.13"),
            Path.Combine(system, "libcudnn.so.9"), Path.Combine(system, "libcudnn_graph.so.9"), Path.Combine(system, "libcudnn_adv.so.9"),
            Path.Combine(system, "libcudnn_cnn.so.9"), Path.Combine(system, "libcudnn_ops.so.9"),
        ], set.Files);
        Assert.Equal(Path.Combine(system, "libcudnn.so.9"), set.PathOf("cudnn"));
        Assert.Equal(Path.Combine(toolkit, "libcublas.so.13"), set.PathOf("cublas"));
    }

    [Fact]
    public void Pytorchs_wheels_serve_when_the_toolkit_has_no_cudnn_and_nothing_comes_from_the_toolkit()
    {
        Plant(Toolkit, Cuda13);
        string cuda = Plant(Site + "/cu13/lib", Cuda13), cudnn = Plant(Site + "/cudnn/lib", Cudnn);

        var (set, rejected) = Discover();

        Assert.NotNull(set);
        Assert.Equal("PyTorch wheels", set.Source);
        Assert.All(set.Files, f => Assert.True(f.StartsWith(cuda, StringComparison.Ordinal) || f.StartsWith(cudnn, StringComparison.Ordinal), f));
        Assert.Contains(rejected, r => r.Contains("CUDA toolkit") && r.Contains("libcudnn.so.9"));
    }

    [Fact]
    public void The_cu12_wheel_folders_of_cublas_and_nvrtc_make_a_set_of_cuda_12()
    {
        Plant(Site + "/cublas/lib", "libcublas.so.12", "libcublasLt.so.12");
        Plant(Site + "/cuda_nvrtc/lib", "libnvrtc.so.12");
        Plant(Site + "/cudnn/lib", Cudnn);

        var (set, _) = Discover();

        Assert.NotNull(set);
        Assert.EndsWith("libcublas.so.12", set.PathOf("cublas"));
        Assert.EndsWith("libnvrtc.so.12", set.PathOf("nvrtc"));
    }

    [Fact]
    public void A_wheels_cudnn_is_never_joined_to_the_systems_sub_libraries()
    {
        Plant(Toolkit, Cuda13);
        Plant(System, Cudnn[1..]);                                 // the system has cuDNN's sub-libraries only
        Plant(Site + "/cu13/lib", Cuda13);
        Plant(Site + "/cudnn/lib", "libcudnn.so.9");               // the wheel has libcudnn.so.9 only

        var (set, rejected) = Discover();

        Assert.Null(set);
        Assert.Contains(rejected, r => r.Contains("CUDA toolkit") && r.Contains("libcudnn.so.9"));
        Assert.Contains(rejected, r => r.Contains("PyTorch wheels") && r.Contains("sub-libraries"));
    }

    [Fact]
    public void An_explicit_path_wins_over_the_toolkit_and_must_itself_be_complete()
    {
        Plant(Toolkit, Cuda13);
        Plant(System, Cudnn);
        string mine = Plant("opt/mine", [.. Cuda13, .. Cudnn]), half = Plant("opt/half", Cuda13);

        var (chosen, _) = Discover(mine);
        var (none, rejected) = Discover(half);

        Assert.Equal(NativeLibraries.PathVariable, chosen!.Source);
        Assert.All(chosen.Files, f => Assert.StartsWith(mine, f));
        Assert.Null(none);
        Assert.Equal($"{NativeLibraries.PathVariable} ({half}) lacks libcudnn.so.9", Assert.Single(rejected));
    }

    [Fact]
    public void Nvrtc_and_cublas_of_different_cuda_versions_are_not_a_set()
    {
        Plant(Toolkit, "libnvrtc.so.13", "libcublas.so.12", "libcublasLt.so.12");
        Plant(System, Cudnn);

        var (set, rejected) = Discover();

        Assert.Null(set);
        Assert.Contains(rejected, r => r.Contains("NVRTC and cuBLAS of one CUDA version"));
    }

    [Fact]
    public void With_nothing_installed_each_missing_library_is_named_by_its_versioned_files()
    {
        var (set, rejected) = Discover();

        Assert.Null(set);
        string all = string.Join("; ", rejected);
        Assert.Contains("libnvrtc.so.13/libnvrtc.so.12", all);
        Assert.Contains("libcublas.so.13/libcublas.so.12", all);
        Assert.Contains("libcudnn.so.9", all);
        Assert.Contains("no PyTorch wheels", all);
    }

    [Fact]
    public void Loading_goes_by_the_one_set_and_the_driver_by_its_system_name()
    {
        Assert.Equal(["libcuda.so.1"], NativeLibraries.FileNamesOf("cuda"));
        Assert.Equal(["libcudnn.so.9"], NativeLibraries.FileNamesOf("cudnn"));
        var e = Assert.Throws<ArgumentException>(() => NativeLibraries.FileNamesOf("cufft"));
        Assert.Contains("cuda, nvrtc, cublas or cudnn", e.Message);
        if (NativeLibraries.Set is null)
        {
            Assert.False(NativeLibraries.TryLoad("cudnn", out _, out var reason));
            Assert.StartsWith("no complete set of NVRTC, cuBLAS and cuDNN", reason);
        }
        else
        {
            Assert.True(NativeLibraries.TryLoad("cudnn", out _, out var path));
            Assert.Equal(NativeLibraries.Set.PathOf("cudnn"), path);
        }
    }
}
