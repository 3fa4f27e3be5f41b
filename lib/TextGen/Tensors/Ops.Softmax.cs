// Softmax, log-softmax and the fused cross-entropy over integer targets. Every row subtracts its
// maximum first, so logits of ±1e4 stay finite (TensorPrimitives.SoftMax does not do this).
using System.Numerics.Tensors;
using TextGen.Tensors.Kernels;

namespace TextGen.Tensors;

public static partial class Ops
{
    /// <summary>Numerically stable log-softmax of one row into <paramref name="destination"/>.</summary>
    public static void LogSoftmaxRow(ReadOnlySpan<float> x, Span<float> destination)
    {
        float max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, destination);
        // After the shift every exponential is in (0, 1] and one of them is 1, so a float sum of them is
        // accurate to a few units in the last place and its log cannot overflow.
        Span<float> e = destination.Length <= 2048 ? stackalloc float[destination.Length] : new float[destination.Length];
        TensorPrimitives.Exp(destination, e);
        TensorPrimitives.Subtract(destination, MathF.Log(TensorPrimitives.Sum(e)), destination);
    }

    /// <summary>Numerically stable softmax of one row into <paramref name="destination"/>.</summary>
    public static void SoftmaxRow(ReadOnlySpan<float> x, Span<float> destination)
    {
        float max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, destination);
        TensorPrimitives.Exp(destination, destination);
        float sum = TensorPrimitives.Sum(destination);
        TensorPrimitives.Divide(destination, sum, destination);
    }

    /// <summary>Softmax over the last dim.</summary>
    public static Tensor Softmax(Tensor a)
    {
        int v = a.Size(-1), rows = a.Numel / Math.Max(1, v);
        var d = new float[a.Numel];
        for (int r = 0; r < rows; r++) SoftmaxRow(a.data.AsSpan(r * v, v), d.AsSpan(r * v, v));
        var result = Tensor.Wrap(d, a.ShapeArray);
        if (Tensor.NeedsGrad(a))
            result.Record("Softmax", [a], g =>
            {
                var ga = a.GradBuffer();
                for (int r = 0; r < rows; r++)
                {
                    var y = d.AsSpan(r * v, v); var gr = g.AsSpan(r * v, v); var gar = ga.AsSpan(r * v, v);
                    float dot = TensorPrimitives.Dot(y, gr);
                    for (int i = 0; i < v; i++) gar[i] += y[i] * (gr[i] - dot);
                }
            });
        return result;
    }

    /// <summary>Log-softmax over the last dim.</summary>
    public static Tensor LogSoftmax(Tensor a)
    {
        int v = a.Size(-1), rows = a.Numel / Math.Max(1, v);
        var d = new float[a.Numel];
        for (int r = 0; r < rows; r++) LogSoftmaxRow(a.data.AsSpan(r * v, v), d.AsSpan(r * v, v));
        var result = Tensor.Wrap(d, a.ShapeArray);
        if (Tensor.NeedsGrad(a))
            result.Record("LogSoftmax", [a], g =>
            {
                var ga = a.GradBuffer();
                for (int r = 0; r < rows; r++)
                {
                    var y = d.AsSpan(r * v, v); var gr = g.AsSpan(r * v, v); var gar = ga.AsSpan(r * v, v);
                    float sum = TensorPrimitives.Sum(gr);
                    for (int i = 0; i < v; i++) gar[i] += gr[i] - MathF.Exp(y[i]) * sum;
                }
            });
        return result;
    }

    /// <summary>
    /// Mean cross-entropy of <paramref name="logits"/> (..., V) against one integer target per row,
    /// like <c>F.cross_entropy(logits.view(-1, V), targets.view(-1))</c>; forward and backward in one op.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, ReadOnlySpan<int> targets)
    {
        int v = logits.Size(-1), rows = logits.Numel / Math.Max(1, v);
        var tgt = CheckTargets(targets, rows, v, $"logits {logits.ShapeString} have");
        var logp = new float[logits.Numel];
        var rowLoss = new float[rows];
        WorkSplit.InTwo(rows, 1, (long)rows * v >= 1 << 16, (r0, r1) =>
        {
            for (int r = r0; r < r1; r++)
            {
                var lp = logp.AsSpan(r * v, v);
                LogSoftmaxRow(logits.data.AsSpan(r * v, v), lp);
                rowLoss[r] = -lp[tgt[r]];
            }
        });
        // Summed in row order whatever the split, so the loss does not depend on the thread count.
        double loss = 0;
        foreach (var l in rowLoss) loss += l;
        var result = Tensor.Wrap([(float)(loss / rows)], []);
        if (Tensor.NeedsGrad(logits))
            result.Record("CrossEntropy", [logits], g =>
            {
                // d/dlogits = (softmax - onehot) / rows
                var gl = logits.GradBuffer();
                float scale = g[0] / rows;
                WorkSplit.InTwo(rows, 1, (long)rows * v >= 1 << 16, (r0, r1) =>
                {
                    var p = new float[v];
                    for (int r = r0; r < r1; r++)
                    {
                        var glr = gl.AsSpan(r * v, v);
                        TensorPrimitives.Exp(logp.AsSpan(r * v, v), p);
                        TensorPrimitives.MultiplyAdd(p, scale, glr, glr);
                        glr[tgt[r]] -= scale;
                    }
                });
            });
        return result;
    }

    /// <summary>A copy of the targets after checking there is one per row and each is a vocabulary id.</summary>
    private static int[] CheckTargets(ReadOnlySpan<int> targets, int rows, int vocabulary, string whatHasRows)
    {
        if (targets.Length != rows)
            throw new ArgumentException($"cross_entropy: {whatHasRows} {rows} rows but {targets.Length} targets were given; targets need one id per position");
        if (rows == 0) throw new ArgumentException("cross_entropy: no rows");
        var tgt = targets.ToArray();
        for (int r = 0; r < rows; r++)
            if ((uint)tgt[r] >= (uint)vocabulary)
                throw new ArgumentOutOfRangeException(nameof(targets), $"cross_entropy: target id {tgt[r]} at row {r} is outside the vocabulary of size {vocabulary}");
        return tgt;
    }
}
