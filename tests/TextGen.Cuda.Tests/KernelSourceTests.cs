// The embedded CUDA C source: every kernel the engine looks up is defined once, and it compiles with NVRTC for the oldest
// architecture the probe accepts and for Hopper (a GPU test: the device check fails it when NVRTC is missing).
using TextGen.Cuda;
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

    [Theory]
    [Trait("Category", "Gpu")]
    [InlineData(7, 5)]
    [InlineData(9, 0)]
    public void Source_compiles_with_nvrtc_for_turing_and_hopper(int major, int minor)
    {
        GpuRequirement.Library("nvrtc");

        var cubin = CudaKernels.Compile(CudaKernels.Source, major, minor);

        Assert.Equal([0x7f, (byte)'E', (byte)'L', (byte)'F'], cubin[..4]);   // a cubin is an ELF image
    }

    private static int CountOf(string text, string word)
    {
        int count = 0;
        for (int i = text.IndexOf(word, StringComparison.Ordinal); i >= 0; i = text.IndexOf(word, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}
