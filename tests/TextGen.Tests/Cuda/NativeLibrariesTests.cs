// How library names are resolved and how failed calls are reported, independent of any GPU.
using TextGen.Cuda.Interop;
using Xunit;

namespace TextGen.Tests.Cuda;

public class NativeLibrariesTests
{
    [Fact]
    public void Candidates_try_the_configured_directories_first_then_newest_versions_first()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("the file names checked here are Linux's");
        var dirs = string.Join(Path.PathSeparator, "/opt/a", "/opt/b");

        var candidates = NativeLibraries.Candidates("cublas", dirs).ToList();

        Assert.Equal(
        [
            "/opt/a/libcublas.so.13", "/opt/a/libcublas.so.12", "/opt/a/libcublas.so",
            "/opt/b/libcublas.so.13", "/opt/b/libcublas.so.12", "/opt/b/libcublas.so",
            "libcublas.so.13", "libcublas.so.12", "libcublas.so",
        ], candidates);
    }

    [Fact]
    public void Candidates_without_a_search_path_are_the_versioned_names_nvrtc_13_before_12()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("the file names checked here are Linux's");
        Assert.Equal(["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so"], NativeLibraries.Candidates("nvrtc", null));
        Assert.Equal(["libcudnn.so.9"], NativeLibraries.Candidates("cudnn", " "));
    }

    [Fact]
    public void Unknown_logical_library_names_are_rejected_with_the_valid_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => NativeLibraries.FileNamesOf("cufft"));
        Assert.Contains("cuda, nvrtc, cublas or cudnn", e.Message);
    }

    [Fact]
    public void A_failed_call_names_the_library_the_call_the_status_and_its_text()
    {
        var e = new CudaException("cuDNN", "CuDnn.cudnnRNNForward(...)", 9, "CUDNN_STATUS_NOT_SUPPORTED");

        Assert.Equal("cuDNN call CuDnn.cudnnRNNForward(...) failed with status 9 (CUDNN_STATUS_NOT_SUPPORTED)", e.Message);
        Assert.Equal(9, e.Status);
    }
}
