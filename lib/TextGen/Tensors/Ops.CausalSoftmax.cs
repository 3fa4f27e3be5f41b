// Softmax over the last dim of square (..., T, T) score matrices with a causal mask: row i may only attend to
// columns 0..i, so a position never sees the ones after it. Masked entries are never computed and are exactly 0.
using System.Numerics.Tensors;
using TextGen.Tensors.Kernels;

namespace TextGen.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Causally masked softmax over the last dim of <paramref name="scores"/> (..., T, T): row i is the softmax of its first
    /// i + 1 entries and 0 after them, like <c>F.softmax(scores.masked_fill(mask, float("-inf")), -1)</c> with
    /// <c>mask = torch.triu(torch.ones(T, T, dtype=torch.bool), 1)</c>.
    /// </summary>
    /// <remarks>
    /// y_ij = exp(x_ij - m_i) / sum_{l &lt;= i} exp(x_il - m_i) for j &lt;= i, where m_i = max_{l &lt;= i} x_il (subtracting the
    /// row's maximum keeps every exponential in (0, 1]); y_ij = 0 for j &gt; i. The gradient is the softmax's over the
    /// kept entries, dx_ij = y_ij (dy_ij - sum_{l &lt;= i} y_il dy_il), and 0 for the masked ones, whose values never matter.
    /// </remarks>
    public static Tensor CausalSoftmax(Tensor scores)
    {
        if (scores.Rank < 2 || scores.Size(-1) != scores.Size(-2))
            throw new ArgumentException($"causal_softmax: scores {scores.ShapeString} must end in a square (T, T) matrix: one row per query, one column per key");
        int t = scores.Size(-1), rows = scores.Numel / Math.Max(1, t);
        var y = new float[scores.Numel];
        bool worthIt = (long)rows * t >= 1 << 16;
        WorkSplit.InTwo(rows, 1, worthIt, (r0, r1) =>
        {
            for (int r = r0; r < r1; r++)
            {
                int kept = r % t + 1;   // the query's position in its matrix, plus one
                SoftmaxRow(scores.data.AsSpan(r * t, kept), y.AsSpan(r * t, kept));
            }
        });
        var result = Tensor.Wrap(y, scores.ShapeArray);
        if (Tensor.NeedsGrad(scores))
            result.Record("CausalSoftmax", [scores], g =>
            {
                var gx = scores.GradBuffer();
                WorkSplit.InTwo(rows, 1, worthIt, (r0, r1) =>
                {
                    for (int r = r0; r < r1; r++)
                    {
                        int kept = r % t + 1;
                        var yr = y.AsSpan(r * t, kept);
                        var gr = g.AsSpan(r * t, kept);
                        var gxr = gx.AsSpan(r * t, kept);
                        float dot = TensorPrimitives.Dot(yr, gr);
                        for (int j = 0; j < kept; j++) gxr[j] += yr[j] * (gr[j] - dot);
                    }
                });
            });
        return result;
    }
}
