// Matrix product op: (..., k) x (k, n) -> (..., n), and its gradients.
using TextGen.Tensors.Kernels;

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
                if (transposeB) { LinearBackward(g, a, b, null, m, n, k); return; }
                if (a.RequiresGrad) Blas.Sgemm(false, true, m, k, n, g, b.data, a.GradBuffer(), accumulate: true);   // dA = dC B^T
                if (b.RequiresGrad) Blas.Sgemm(true, false, k, n, m, a.data, g, b.GradBuffer(), accumulate: true);   // dB = A^T dC
            });
        }
        return result;
    }

    /// <summary>
    /// input W^T + bias as one op (torch.nn.functional.linear): the bias is the product's starting value, so the
    /// logits of a decoder are written once and their gradient is not copied through a separate Add.
    /// </summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias)
    {
        if (bias is null) return MatMul(input, weight, transposeB: true);
        if (weight.Rank != 2 || bias.Rank != 1 || bias.Size(0) != weight.Size(0))
            throw new ArgumentException($"linear: weight {weight.ShapeString} and bias {bias.ShapeString} must be (out, in) and (out)");
        int k = weight.Size(1), n = weight.Size(0);
        if (input.Rank < 1 || input.Size(-1) != k)
            throw new ArgumentException($"linear: input {input.ShapeString} must end in the weight's in-features {k}");
        int m = input.Numel / Math.Max(1, k);
        var outShape = input.ShapeArray;
        outShape[^1] = n;
        var c = new float[m * n];
        for (int r = 0; r < m; r++) bias.data.AsSpan().CopyTo(c.AsSpan(r * n, n));
        Blas.Sgemm(false, true, m, n, k, input.data, weight.data, c, accumulate: true);
        var result = Tensor.Wrap(c, outShape);
        Tensor[] inputs = [input, weight, bias];
        if (Tensor.NeedsGrad(inputs)) result.Record("Linear", inputs, g => LinearBackward(g, input, weight, bias, m, n, k));
        return result;
    }

    /// <summary>
    /// Gradients of y = x W^T (+ b) from the gradient <paramref name="g"/> of y, (m x n) for x (m x k) and W (n x k):
    /// dx += g W, dW += g^T x, db += the column sums of g; each only where it is required.
    /// </summary>
    private static void LinearBackward(float[] g, Tensor input, Tensor weight, Tensor? bias, int m, int n, int k)
    {
        if (input.RequiresGrad) Blas.Sgemm(false, false, m, k, n, g, weight.data, input.GradBuffer(), accumulate: true);
        if (weight.RequiresGrad) Blas.Sgemm(true, false, n, k, m, g, input.data, weight.GradBuffer(), accumulate: true);
        if (bias is { RequiresGrad: true }) ReduceToPeriod(g, n, bias.GradBuffer());
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
