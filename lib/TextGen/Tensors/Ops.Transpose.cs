// Swapping two dims of a tensor, copied into a new contiguous tensor: how attention turns (batch, time, heads,
// headDim) into (batch, heads, time, headDim), so that each head's matrix is contiguous, and back.
using System.Numerics.Tensors;

namespace TextGen.Tensors;

public static partial class Ops
{
    /// <summary>
    /// The tensor with dims <paramref name="dim0"/> and <paramref name="dim1"/> swapped, like <c>x.transpose(dim0, dim1)</c>
    /// followed by <c>.contiguous()</c>; negative dims count from the end.
    /// </summary>
    /// <remarks>
    /// With the shape read as (outer, s0, mid, s1, inner) around the two dims, y[o, j, q, i, r] = x[o, i, q, j, r]:
    /// each run of <c>inner</c> values is copied whole. The gradient is the same swap applied to the output's gradient.
    /// </remarks>
    public static Tensor Transpose(Tensor a, int dim0, int dim1)
    {
        int d0 = ShapeUtil.NormalizeDim(dim0, a.Rank, "transpose"), d1 = ShapeUtil.NormalizeDim(dim1, a.Rank, "transpose");
        if (d0 == d1) return Reshape(a, a.ShapeArray);
        if (d0 > d1) (d0, d1) = (d1, d0);
        int outer = ShapeUtil.Outer(a.Shape, d0), s0 = a.Shape[d0], s1 = a.Shape[d1], inner = ShapeUtil.Inner(a.Shape, d1);
        int mid = 1;
        for (int i = d0 + 1; i < d1; i++) mid *= a.Shape[i];
        var shape = a.ShapeArray;
        (shape[d0], shape[d1]) = (shape[d1], shape[d0]);
        var d = new float[a.Numel];
        SwapDims(a.data, d, outer, s0, mid, s1, inner, accumulate: false);
        var result = Tensor.Wrap(d, shape);
        if (Tensor.NeedsGrad(a))
            result.Record("TransposeDims", [a], g => SwapDims(g, a.GradBuffer(), outer, s1, mid, s0, inner, accumulate: true));
        return result;
    }

    /// <summary>
    /// Writes (or adds) source (outer, s0, mid, s1, inner) into destination as (outer, s1, mid, s0, inner).
    /// <paramref name="mid"/> is the product of the sizes of the dims between the two.
    /// </summary>
    private static void SwapDims(ReadOnlySpan<float> source, Span<float> destination, int outer, int s0, int mid, int s1, int inner, bool accumulate)
    {
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < s1; j++)
                for (int q = 0; q < mid; q++)
                    for (int i = 0; i < s0; i++)
                    {
                        var from = source.Slice((((o * s0 + i) * mid + q) * s1 + j) * inner, inner);
                        var to = destination.Slice((((o * s1 + j) * mid + q) * s0 + i) * inner, inner);
                        if (accumulate) TensorPrimitives.Add(to, from, to);
                        else from.CopyTo(to);
                    }
    }
}
