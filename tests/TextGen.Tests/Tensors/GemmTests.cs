// Blas.Sgemm against a naive float64 product: every transpose combination, accumulation, edge sizes,
// and bit-identical results whatever the thread count.
using TextGen.Tensors;
using Xunit;
using TextGen.Tensors.Kernels;

namespace TextGen.Tests.Tensors;

public class GemmTests
{
    private static (float[] A, float[] B, float[] C) Operands(int m, int n, int k, ulong seed)
    {
        var g = new Generator(seed);
        var a = new float[m * k]; var b = new float[k * n]; var c = new float[m * n];
        g.FillUniform(a, -1, 1); g.FillUniform(b, -1, 1); g.FillUniform(c, -1, 1);
        return (a, b, c);
    }

    private static double[] Reference(bool ta, bool tb, int m, int n, int k, float[] a, float[] b, float[] c0, bool accumulate)
    {
        var r = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = accumulate ? c0[i * n + j] : 0;
                for (int p = 0; p < k; p++)
                    s += (double)(ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                r[i * n + j] = s;
            }
        return r;
    }

    private static void AssertClose(double[] expected, float[] actual, int k, string what)
    {
        // Rounding grows with the depth: allow 1e-4 relative to the sum of |terms| (bounded by k here).
        double tol = 1e-4 * Math.Max(1, Math.Sqrt(k));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * Math.Max(1, Math.Abs(expected[i])),
                $"{what} element {i}: expected {expected[i]}, got {actual[i]}");
    }

    public static TheoryData<int, int, int> Sizes() => new()
    {
        { 1, 1, 1 }, { 1, 65, 3 }, { 3, 1, 17 }, { 17, 33, 1 }, { 33, 17, 65 }, { 65, 130, 33 },
        { 130, 65, 257 }, { 9, 33, 300 }, { 70, 3, 130 }, { 2, 70, 33 }, { 2, 1, 300 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Sgemm_matches_float64_reference_for_every_transpose_and_accumulate(int m, int n, int k)
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                foreach (bool acc in new[] { false, true })
                {
                    var (a, b, c) = Operands(m, n, k, (ulong)(m * 1000 + n * 10 + k));
                    var expected = Reference(ta, tb, m, n, k, a, b, c, acc);
                    Blas.Sgemm(ta, tb, m, n, k, a, b, c, acc);
                    AssertClose(expected, c, k, $"m={m} n={n} k={k} transA={ta} transB={tb} accumulate={acc}");
                }
    }

    [Fact]
    public void Sgemm_with_zero_depth_clears_or_keeps_c()
    {
        var c = new float[] { 1, 2, 3, 4, 5, 6 };
        Blas.Sgemm(false, false, 2, 3, 0, [], [], c, accumulate: true);
        Assert.Equal([1f, 2, 3, 4, 5, 6], c);
        Blas.Sgemm(false, false, 2, 3, 0, [], [], c);
        Assert.Equal(new float[6], c);
    }

    [Fact]
    public void Sgemm_spanning_several_cache_blocks_matches_reference()
    {
        // Crosses the depth block (256) and the B column block (512), with ragged edges in each.
        int m = 41, n = 530, k = 600;
        var (a, b, c) = Operands(m, n, k, 11);
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
            {
                var c1 = (float[])c.Clone();
                var expected = Reference(ta, tb, m, n, k, a, b, c, accumulate: true);
                Blas.Sgemm(ta, tb, m, n, k, a, b, c1, accumulate: true);
                AssertClose(expected, c1, k, $"transA={ta} transB={tb}");
            }
    }

    [Fact]
    public void Sgemm_spanning_several_row_blocks_matches_reference()
    {
        // More rows than two A blocks (512), in a count that fills no whole micro-panel of either kernel (6 or 8 rows), and few
        // enough columns that one thread runs it all: the 256-bit kernel's padded last panel of a 512-row block once ran past the
        // packing buffer (a crash on AVX2-only CPUs); the packer now refuses a block its buffer cannot hold.
        int m = 1031, n = 3, k = 300;
        var (a, b, c) = Operands(m, n, k, 12);
        foreach (bool ta in new[] { false, true })
        {
            var c1 = (float[])c.Clone();
            var expected = Reference(ta, false, m, n, k, a, b, c, accumulate: false);
            Blas.Sgemm(ta, false, m, n, k, a, b, c1);
            AssertClose(expected, c1, k, $"transA={ta}");
        }
    }

    [Fact]
    public void Sgemm_is_bit_identical_on_one_and_two_threads()
    {
        int saved = Blas.MaxThreads;
        try
        {
            // Shapes that split along rows (tall) and along columns (wide), both above the parallel threshold.
            foreach (var (m, n, k) in new[] { (203, 97, 300), (40, 700, 100) })
                foreach (bool ta in new[] { false, true })
                    foreach (bool tb in new[] { false, true })
                    {
                        var (a, b, c) = Operands(m, n, k, 5);
                        var one = (float[])c.Clone(); var two = (float[])c.Clone();
                        Blas.MaxThreads = 1;
                        Blas.Sgemm(ta, tb, m, n, k, a, b, one, accumulate: true);
                        Blas.MaxThreads = 2;
                        Blas.Sgemm(ta, tb, m, n, k, a, b, two, accumulate: true);
                        Assert.Equal(one, two);
                        AssertClose(Reference(ta, tb, m, n, k, a, b, c, true), two, k, $"m={m} n={n} transA={ta} transB={tb}");
                    }
        }
        finally { Blas.MaxThreads = saved; }
    }

    [Fact]
    public void Sgemm_rejects_too_short_operands_with_the_needed_size()
    {
        var e = Assert.Throws<ArgumentException>(() => Blas.Sgemm(false, false, 2, 3, 4, new float[7], new float[12], new float[6]));
        Assert.Contains("A has 7 elements, needs 8", e.Message);
    }
}
