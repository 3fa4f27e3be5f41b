// The packed matrix product against a float64 reference on awkward sizes, and its independence
// from the thread count.
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests.Tensors;

[Collection("Blas threads")] // changes Blas.MaxThreads
public class GemmTests
{
    public static TheoryData<int, int, int> Sizes() => new()
    {
        { 1, 1, 1 }, { 3, 17, 5 }, { 9, 33, 2 }, { 17, 65, 130 }, { 64, 1024, 256 }, { 130, 40, 300 }, { 7, 1030, 257 }, { 200, 3, 64 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Every_transpose_combination_and_accumulation_matches_float64(int m, int n, int k)
    {
        var g = new Generator((ulong)(m * 1000 + n * 10 + k));
        foreach (var (ta, tb) in new[] { (false, false), (true, false), (false, true), (true, true) })
            foreach (var acc in new[] { false, true })
            {
                var a = new float[m * k]; var b = new float[k * n]; var c = new float[m * n];
                g.FillUniform(a, -1, 1); g.FillUniform(b, -1, 1); g.FillUniform(c, -1, 1);
                var c0 = (float[])c.Clone();
                Blas.Sgemm(ta, tb, m, n, k, a, b, c, acc);
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++)
                    {
                        double s = acc ? c0[i * n + j] : 0;
                        for (int p = 0; p < k; p++) s += (double)(ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                        Assert.True(Math.Abs(s - c[i * n + j]) <= 1e-4 * (1 + Math.Abs(s)), $"({ta},{tb},acc {acc}) {m}x{n}x{k} at {i},{j}: {s} vs {c[i * n + j]}");
                    }
            }
    }

    [Theory]
    [InlineData(640, 1024, 256)]
    [InlineData(64, 1024, 256)]
    [InlineData(1024, 256, 640)]
    public void Result_is_bit_identical_for_one_and_two_threads(int m, int n, int k)
    {
        var g = new Generator(5);
        var a = new float[m * k]; var b = new float[k * n];
        g.FillUniform(a, -1, 1); g.FillUniform(b, -1, 1);
        int saved = Blas.MaxThreads;
        try
        {
            Blas.MaxThreads = 1;
            var one = new float[m * n];
            Blas.Sgemm(false, true, m, n, k, a, b, one);
            Blas.MaxThreads = 2;
            var two = new float[m * n];
            Blas.Sgemm(false, true, m, n, k, a, b, two);
            Assert.True(one.AsSpan().SequenceEqual(two));
        }
        finally { Blas.MaxThreads = saved; }
    }
}
