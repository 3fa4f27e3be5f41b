// textgen doctor: what this machine offers TextGen (version, CPU features, GPU and its libraries).
using System.CommandLine;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TextGen.Cli.Commands;

internal static class DoctorCommand
{
    public static Command Create()
    {
        var cmd = new Command("doctor", "Report the library version, CPU features and GPU availability");
        cmd.SetAction(_ =>
        {
            foreach (var line in Report()) Console.WriteLine(line);
            return 0;
        });
        return cmd;
    }

    public static IEnumerable<string> Report()
    {
        yield return $"TextGen {LibraryInfo.Version} on .NET {Environment.Version} ({RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture})";
        yield return $"CPU: {Environment.ProcessorCount} logical cores; AVX2 {Avx2.IsSupported}, FMA {Fma.IsSupported}, AVX-512F {Avx512F.IsSupported}; " +
            $"Vector512 accelerated {Vector512.IsHardwareAccelerated}, Vector256 accelerated {Vector256.IsHardwareAccelerated}";
        // The probe's report names the one library set it found (TEXTGEN_CUDA_LIBRARY_PATH, the CUDA toolkit, or PyTorch's wheels).
        var gpu = TextGen.Cuda.CudaProbe.Check();
        yield return gpu.ToString();
        yield return gpu.IsUsable
            ? "GPU: usable: train, eval, generate and bench run on it with --device cuda"
            : "GPU: not usable, so everything runs on the CPU";
    }
}
