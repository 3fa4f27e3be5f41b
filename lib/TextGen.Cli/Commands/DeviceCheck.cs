// What --device cuda means in this build: the CUDA probe must pass, and the GPU training loop is
// not wired into the CLI yet, so the user gets one clear message either way.
using TextGen.Cuda;

namespace TextGen.Cli.Commands;

internal static class DeviceCheck
{
    public static void RequireCuda()
    {
        var report = CudaProbe.Check();
        if (!report.IsUsable) throw new NotSupportedException($"--device cuda: {string.Join("; ", report.Problems)}. Use --device cpu.");
        throw new NotSupportedException("--device cuda: a GPU was found, but this build trains on the CPU only (the CUDA training loop is not wired into the CLI yet). Use --device cpu.");
    }
}
