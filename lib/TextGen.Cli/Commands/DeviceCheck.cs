// What --device cuda means in this build: the CUDA probe must pass; the benchmark then runs on the GPU, while
// training and generation are not wired to it yet, so the user gets one clear message either way.
using TextGen.Cuda;

namespace TextGen.Cli.Commands;

internal static class DeviceCheck
{
    /// <summary>Throws one message naming what is missing (driver, device, library, compute capability) unless a GPU is usable.</summary>
    public static void RequireUsableGpu()
    {
        var report = CudaProbe.Check();
        if (!report.IsUsable) throw new NotSupportedException($"--device cuda: {string.Join("; ", report.Problems)}. Use --device cpu.");
    }

    /// <summary>For training and generation, which do not run on the GPU from the CLI yet (only the benchmark does).</summary>
    public static void RequireCuda()
    {
        RequireUsableGpu();
        throw new NotSupportedException("--device cuda: a GPU was found, but `textgen train` and `generate` run on the CPU only in this build (the GPU training loop is not wired into them yet; `textgen bench --device cuda` is). Use --device cpu.");
    }
}
