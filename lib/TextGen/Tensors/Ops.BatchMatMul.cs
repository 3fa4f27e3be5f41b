// Batched matrix product: one product per leading index, (..., m, k) x (..., k, n) -> (..., m, n), as attention
// multiplies queries by keys and weights by values for every sequence and head at once.
using TextGen.Tensors.Kernels;

namespace TextGen.Tensors;

public static partial class Ops
{
    /// <summary>
    /// One matrix product per leading index, like <c>torch.matmul(a, b)</c> when both have the same batch dims:
    /// <paramref name="a"/> is (..., m, k) and <paramref name="b"/> is (..., k, n), or (..., n, k) used transposed when
    /// <paramref name="transposeB"/> is set (<c>a @ b.transpose(-2, -1)</c>, the queries times the keys of attention).
    /// </summary>
    /// <remarks>
    /// For each batch index i: C_i = A_i B_i (or A_i B_i^T). The gradients are, per index,
    /// dA_i = dC_i B_i^T and dB_i = A_i^T dC_i; with the transposed operand, dA_i = dC_i B_i and dB_i = dC_i^T A_i.
    /// Small products are shared between two threads by batch index; each product's sums run in the same order
    /// whatever the split, so results do not depend on the thread count.
    /// </remarks>
    public static Tensor BatchMatMul(Tensor a, Tensor b, bool transposeB = false)
    {
        if (a.Rank < 3 || b.Rank != a.Rank)
            throw new ArgumentException($"batch_matmul: {a.ShapeString} x {b.ShapeString}: both operands need the same rank, at least 3 (batch dims, then a matrix); use MatMul for one matrix");
        if (!a.Shape[..^2].SequenceEqual(b.Shape[..^2]))
            throw new ArgumentException($"batch_matmul: {a.ShapeString} x {b.ShapeString}: the batch dims (all but the last two) must be equal");
        int m = a.Size(-2), k = a.Size(-1);
        int bk = transposeB ? b.Size(-1) : b.Size(-2), n = transposeB ? b.Size(-2) : b.Size(-1);
        if (k != bk)
            throw new ArgumentException($"batch_matmul: {a.ShapeString} x {(transposeB ? $"{b.ShapeString}^T" : b.ShapeString)}: inner dimensions {k} and {bk} differ");
        int batch = ShapeUtil.Outer(a.Shape, a.Rank - 2);
        var outShape = a.ShapeArray;
        outShape[^1] = n;
        var c = new float[batch * m * n];
        EachProduct(batch, m, n, k, (i, mn, mk, kn) =>
            Blas.Sgemm(false, transposeB, m, n, k, a.data.AsSpan(i * mk, mk), b.data.AsSpan(i * kn, kn), c.AsSpan(i * mn, mn)));
        var result = Tensor.Wrap(c, outShape);
        if (Tensor.NeedsGrad(a, b))
            result.Record("BatchMatMul", [a, b], g =>
            {
                var ga = a.RequiresGrad ? a.GradBuffer() : null;
                var gb = b.RequiresGrad ? b.GradBuffer() : null;
                EachProduct(batch, m, n, k, (i, mn, mk, kn) =>
                {
                    var gi = g.AsSpan(i * mn, mn);
                    var ai = a.data.AsSpan(i * mk, mk);
                    var bi = b.data.AsSpan(i * kn, kn);
                    if (ga is not null)
                    {
                        if (transposeB) Blas.Sgemm(false, false, m, k, n, gi, bi, ga.AsSpan(i * mk, mk), accumulate: true);  // dA = dC B
                        else Blas.Sgemm(false, true, m, k, n, gi, bi, ga.AsSpan(i * mk, mk), accumulate: true);              // dA = dC B^T
                    }
                    if (gb is not null)
                    {
                        if (transposeB) Blas.Sgemm(true, false, n, k, m, gi, ai, gb.AsSpan(i * kn, kn), accumulate: true);  // dB = dC^T A
                        else Blas.Sgemm(true, false, k, n, m, ai, gi, gb.AsSpan(i * kn, kn), accumulate: true);              // dB = A^T dC
                    }
                });
            });
        return result;
    }

    /// <summary>Calls <paramref name="product"/>(index, m*n, m*k, k*n) for every batch index, on two threads when the work is worth it.</summary>
    private static void EachProduct(int batch, int m, int n, int k, Action<int, int, int, int> product)
    {
        int mn = m * n, mk = m * k, kn = k * n;
        // One large product splits itself over the cores; many small ones are shared out by index instead.
        bool split = batch > 1 && (long)batch * m * n * k >= 1 << 18;
        WorkSplit.InTwo(batch, 1, split, (i0, i1) =>
        {
            for (int i = i0; i < i1; i++) product(i, mn, mk, kn);
        });
    }
}
