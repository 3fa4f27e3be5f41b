// What --device cuda needs before anything loads: the CUDA probe must pass, or the user gets one line naming what is
// missing. Training, evaluation and generation then run on the GPU through the CUDA engine, the benchmark directly.
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
}
