// Ops that let one fused op return several tensors: the op writes one flat packed tensor, and
// Unpack copies a piece out with a gradient that flows back into the packed one.
namespace TextGen.Tensors;

public static partial class Ops
{
    /// <summary>Copies elements [offset, offset + numel(shape)) of a flat tensor out as a tensor of <paramref name="shape"/>.</summary>
    internal static Tensor Unpack(Tensor packed, int offset, int[] shape)
    {
        int n = ShapeUtil.Numel(shape);
        var d = packed.data.AsSpan(offset, n).ToArray();
        var r = Tensor.Wrap(d, shape);
        if (Tensor.NeedsGrad(packed))
            r.Record("Unpack", [packed], g =>
            {
                var dst = packed.GradBuffer().AsSpan(offset, n);
                System.Numerics.Tensors.TensorPrimitives.Add(dst, g, dst);
            });
        return r;
    }
}
