// A pre-packed right operand gives the same product as packing on the fly.
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests.Tensors;

public class PackedMatrixTests
{
    [Theory]
    [InlineData(false, 5, 70, 300)]
    [InlineData(true, 64, 1024, 256)]
    [InlineData(true, 3, 33, 7)]
    public void Product_with_a_packed_operand_equals_the_plain_product(bool transB, int m, int n, int k)
    {
        var g = new Generator(11);
        var a = new float[m * k]; var b = new float[k * n];
        g.FillUniform(a, -1, 1); g.FillUniform(b, -1, 1);
        var plain = new float[m * n];
        Blas.Sgemm(false, transB, m, n, k, a, b, plain);
        using var packed = new PackedMatrix(transB, k, n, b);
        var viaPacked = new float[m * n];
        g.FillUniform(viaPacked, -1, 1);
        var start = (float[])viaPacked.Clone();
        Blas.Sgemm(false, m, a, packed, viaPacked, accumulate: true);
        for (int i = 0; i < plain.Length; i++) Assert.Equal(plain[i] + start[i], viaPacked[i], 1e-4f);
    }
}
