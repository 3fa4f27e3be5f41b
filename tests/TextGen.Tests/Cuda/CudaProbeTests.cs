// The probe and the "CUDA unavailable" path, checked on machines without a GPU (CI): a clean report and one clear message.
using TextGen.Cuda;
using TextGen.Cuda.Interop;
using Xunit;
using TextGen.Nn;

namespace TextGen.Tests.Cuda;

public class CudaProbeTests
{
    [Fact]
    public void Probe_reports_a_missing_driver_without_throwing_and_names_it()
    {
        var report = CudaProbe.Check();
        if (report.DriverFound) Assert.Skip("an NVIDIA driver is present on this machine");

        Assert.False(report.IsUsable);
        Assert.Equal(0, report.DeviceCount);
        Assert.Null(report.DeviceName);
        Assert.Equal(["cuda", "nvrtc", "cublas", "cudnn"], report.Libraries.Select(l => l.Name));
        Assert.False(report.Libraries[0].Found);
        Assert.Contains("libcuda.so.1", report.Libraries[0].Reason);
        Assert.StartsWith("no NVIDIA driver", report.Problems[0]);
        Assert.Contains("driver: not found", report.ToString());
    }

    [Fact]
    public void Asking_for_cuda_without_a_driver_throws_one_message_naming_what_is_missing_and_the_fix()
    {
        var report = CudaProbe.Check();
        if (report.IsUsable) Assert.Skip("CUDA is usable on this machine");

        var e = Assert.Throws<CudaUnavailableException>(report.ThrowIfUnusable);
        Assert.StartsWith("CUDA was requested but cannot be used on this machine: ", e.Message);
        foreach (var problem in report.Problems) Assert.Contains(problem, e.Message);
        Assert.Contains("--device cpu", e.Message);
        Assert.Contains(NativeLibraries.PathVariable, e.Message);
    }

    [Fact]
    public void Trainer_construction_without_cuda_fails_with_the_probe_message_before_touching_memory()
    {
        if (CudaProbe.Report.IsUsable) Assert.Skip("CUDA is usable on this machine");
        var config = new CharRnnConfig(Arch: RecurrentArch.Gru, VocabularySize: 7, EmbeddingDim: 3, HiddenSize: 4);

        var e = Assert.Throws<CudaUnavailableException>(() => new CudaCharTrainer(config, CharRnnModel.InitialParameters(config, seed: 1)));
        Assert.Contains("cannot be used on this machine", e.Message);
    }

    [Fact]
    public void Missing_libraries_are_listed_by_their_versioned_file_names()
    {
        var report = CudaProbe.Check();
        var cublas = report.Libraries.Single(l => l.Name == "cublas");
        if (cublas.Found) Assert.Skip("cuBLAS is installed here");

        Assert.Contains(report.Problems, p => p.Contains("libcublas.so.13/libcublas.so.12"));
        Assert.Contains(report.Problems, p => p.Contains("libcudnn.so.9"));
    }
}
