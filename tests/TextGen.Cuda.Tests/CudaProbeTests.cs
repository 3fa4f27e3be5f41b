// The probe and the "CUDA unavailable" path, which hold on every machine: the report agrees with itself whatever this
// machine has, a refusal is one message naming each problem and the fix, and a GPU older than CUDA 13's NVRTC is refused.
using TextGen.Cuda;
using TextGen.Cuda.Interop;
using Xunit;

namespace TextGen.Tests.Cuda;

public class CudaProbeTests
{
    [Fact]
    public void The_probe_never_throws_and_its_report_agrees_with_itself_on_this_machine()
    {
        var report = CudaProbe.Check();

        Assert.Equal(report.Problems.Count == 0, report.IsUsable);
        Assert.Equal(["cuda", "nvrtc", "cublas", "cudnn"], report.Libraries.Select(l => l.Name));
        Assert.Contains("libraries: ", report.ToString());
        if (!report.DriverFound)
        {
            Assert.Equal(0, report.DeviceCount);
            Assert.Null(report.DeviceName);
            Assert.Contains("libcuda.so.1", report.Libraries[0].Reason);
            Assert.StartsWith("no NVIDIA driver", report.Problems[0]);
            Assert.Contains("driver: not found", report.ToString());
        }
        else
        {
            Assert.Contains("driver: CUDA ", report.ToString());
            Assert.True(report.DeviceCount > 0 || report.Problems.Contains("the driver sees no GPU"));
        }
        Assert.Equal(report.LibrarySet is null, report.Problems.Any(p => p.StartsWith("no complete set", StringComparison.Ordinal)));
    }

    [Fact]
    public void Asking_for_cuda_where_it_cannot_run_throws_one_message_naming_each_problem_and_the_fix()
    {
        var report = new CudaProbeReport(true, "13.0", 1, "Tesla V100", (7, 0), 16L << 30, [],
            [CudaProbe.CapabilityProblem((7, 0), "Tesla V100")!, "no complete set of NVRTC, cuBLAS and cuDNN (CUDA toolkit and system libraries lack libcudnn.so.9)"]);

        var e = Assert.Throws<CudaUnavailableException>(report.ThrowIfUnusable);
        Assert.StartsWith("CUDA was requested but cannot be used on this machine: ", e.Message);
        foreach (var problem in report.Problems) Assert.Contains(problem, e.Message);
        Assert.Contains("--device cpu", e.Message);
        Assert.Contains(NativeLibraries.PathVariable, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData(7, 0)]
    [InlineData(7, 2)]
    [InlineData(6, 1)]
    public void Gpus_older_than_turing_are_refused_since_cuda_13s_nvrtc_cannot_compile_for_them(int major, int minor)
    {
        var problem = CudaProbe.CapabilityProblem((major, minor), "Old GPU");

        Assert.NotNull(problem);
        Assert.Contains($"compute capability {major}.{minor} of Old GPU is too old", problem);
        Assert.Contains("7.5 (Turing) or newer", problem);
    }

    [Theory]
    [InlineData(7, 5)]
    [InlineData(8, 0)]
    [InlineData(9, 0)]
    [InlineData(12, 0)]
    public void Turing_and_newer_gpus_are_accepted(int major, int minor)
    {
        Assert.Null(CudaProbe.CapabilityProblem((major, minor), "GPU"));
        Assert.Equal((7, 5), CudaProbe.MinimumComputeCapability);
    }

    [Fact]
    public void A_failed_cudnn_call_names_the_call_the_status_and_cudnns_own_explanation()
    {
        var e = new CudaException("cuDNN", "cudnnRNNForward", 9, CuDnn.Describe("CUDNN_STATUS_NOT_SUPPORTED", " CUDNN_BACKEND_API_FAILED: persistent algorithm needs hidden <= 1024\n"));

        Assert.Equal("cuDNN call cudnnRNNForward failed with status 9 (CUDNN_STATUS_NOT_SUPPORTED: CUDNN_BACKEND_API_FAILED: persistent algorithm needs hidden <= 1024)", e.Message);
        Assert.Equal(9, e.Status);
        Assert.Equal("CUDNN_STATUS_NOT_SUPPORTED", CuDnn.Describe("CUDNN_STATUS_NOT_SUPPORTED", ""));
        Assert.Equal("unknown status", CuDnn.Describe(null, null));
    }

    [Fact]
    public void The_report_textgen_doctor_prints_names_the_one_library_set_it_found_and_its_folders()
    {
        var set = new CudaLibrarySet("PyTorch wheels", ["/py/nvidia/cu13/lib/libnvrtc.so.13", "/py/nvidia/cu13/lib/libcublasLt.so.13",
            "/py/nvidia/cu13/lib/libcublas.so.13", "/py/nvidia/cudnn/lib/libcudnn.so.9", "/py/nvidia/cudnn/lib/libcudnn_graph.so.9"]);
        var found = new CudaProbeReport(true, "13.0", 1, "NVIDIA H100 80GB HBM3", (9, 0), 80L << 30, [], [], set);
        var none = new CudaProbeReport(true, "13.0", 1, "NVIDIA H100 80GB HBM3", (9, 0), 80L << 30, [], ["no complete set of NVRTC, cuBLAS and cuDNN"]);

        Assert.Contains("libraries: PyTorch wheels (/py/nvidia/cu13/lib, /py/nvidia/cudnn/lib)", found.ToString());
        Assert.EndsWith("CUDA backend: usable", found.ToString());
        Assert.Contains("libraries: no complete set found", none.ToString());
        Assert.Equal("/py/nvidia/cudnn/lib/libcudnn.so.9", set.PathOf("cudnn"));
    }
}
