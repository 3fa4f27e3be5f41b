// Matrix product op: (..., k) x (k, n) -> (..., n), and its gradients.
namespace TextGen.Tensors;

/// <summary>Differentiable tensor operations (one family per file).</summary>
public static partial class Ops
{
    /// <summary>
    /// Matrix product. <paramref name="a"/> is (m, k) or (..., k) with leading dims flattened;
    /// <paramref name="b"/> is (k, n). With <paramref name="transposeB"/>, b is (n, k) and used transposed (like <c>x @ W.T</c>).
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b, bool transposeB = false)
    {
        if (a.Rank < 1 || b.Rank != 2)
            throw new ArgumentException($"matmul: {a.ShapeString} x {b.ShapeString}: the right operand must be a matrix");
        int k = a.Size(-1);
        int bk = transposeB ? b.Size(1) : b.Size(0);
        int n = transposeB ? b.Size(0) : b.Size(1);
        if (k != bk)
            throw new ArgumentException($"matmul: {a.ShapeString} x {(transposeB ? $"{b.ShapeString}^T" : b.ShapeString)}: inner dimensions {k} and {bk} differ");
        int m = a.Numel / Math.Max(1, k);
        if (k == 0) m = ShapeUtil.Outer(a.Shape, a.Rank - 1);
        var outShape = a.ShapeArray;
        outShape[^1] = n;
        var c = new float[m * n];
        Blas.Sgemm(false, transposeB, m, n, k, a.data, b.data, c);
        var result = Tensor.Wrap(c, outShape);
        if (Tensor.NeedsGrad(a, b))
        {
            result.Record("MatMul", [a, b], g =>
            {
                if (a.RequiresGrad) // dA = dC * op(B)^T
                    Blas.Sgemm(false, !transposeB, m, k, n, g, b.data, a.GradBuffer(), accumulate: true);
                if (b.RequiresGrad)
                {
                    if (transposeB) Blas.Sgemm(true, false, n, k, m, g, a.data, b.GradBuffer(), accumulate: true); // dB = dC^T A
                    else Blas.Sgemm(true, false, k, n, m, a.data, g, b.GradBuffer(), accumulate: true);             // dB = A^T dC
                }
            });
        }
        return result;
    }

    /// <summary>Transpose of a matrix.</summary>
    public static Tensor Transpose(Tensor a)
    {
        if (a.Rank != 2) throw new ArgumentException($"transpose: expected a matrix, got shape {a.ShapeString}");
        int r = a.Size(0), c = a.Size(1);
        var d = new float[a.Numel];
        Blas.Transpose(a.data, d, r, c);
        var result = Tensor.Wrap(d, [c, r]);
        if (Tensor.NeedsGrad(a))
            result.Record("Transpose", [a], g =>
            {
                var t = new float[g.Length];
                Blas.Transpose(g, t, c, r);
                a.AccumulateGrad(t);
            });
        return result;
    }
}
