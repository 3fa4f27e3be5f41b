// The embedded CUDA C source: every kernel the backend looks up is defined, and it compiles where NVRTC is installed.
using TextGen.Cuda;
using TextGen.Cuda.Interop;
using Xunit;

namespace TextGen.Tests.Cuda;

public class KernelSourceTests
{
    [Fact]
    public void Source_defines_every_kernel_the_backend_looks_up_exactly_once()
    {
        var source = CudaKernels.Source;
        foreach (var name in CudaKernels.Names)
        {
            string declaration = $"extern \"C\" __global__ void {name}(";
            int first = source.IndexOf(declaration, StringComparison.Ordinal);
            Assert.True(first >= 0, $"kernel {name} is not defined");
            Assert.Equal(-1, source.IndexOf(declaration, first + 1, StringComparison.Ordinal));
        }
        Assert.Equal(CudaKernels.Names.Count, CountOf(source, "__global__"));
    }

    [Fact]
    [Trait("Category", "Gpu")]
    public void Source_compiles_with_nvrtc_for_hopper()
    {
        if (!NativeLibraries.TryLoad("nvrtc", out _, out var reason)) Assert.Skip("no NVRTC: " + reason);

        var cubin = CudaKernels.Compile(9, 0);

        Assert.Equal([0x7f, (byte)'E', (byte)'L', (byte)'F'], cubin[..4]);   // a cubin is an ELF image
    }

    private static int CountOf(string text, string word)
    {
        int count = 0;
        for (int i = text.IndexOf(word, StringComparison.Ordinal); i >= 0; i = text.IndexOf(word, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}
