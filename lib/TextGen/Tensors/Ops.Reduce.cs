// Reductions to a scalar: sum and mean over all elements. Sums accumulate in double so that
// results do not depend on how the work is split.
namespace TextGen.Tensors;

public static partial class Ops
{
    /// <summary>Sum of all elements, shape ().</summary>
    public static Tensor Sum(Tensor a)
    {
        double s = 0;
        foreach (var v in a.data) s += v;
        var r = Tensor.Wrap([(float)s], []);
        if (Tensor.NeedsGrad(a))
            r.Record("Sum", [a], g => { var ga = a.GradBuffer(); for (int i = 0; i < ga.Length; i++) ga[i] += g[0]; });
        return r;
    }

    /// <summary>Mean of all elements, shape ().</summary>
    public static Tensor Mean(Tensor a)
    {
        if (a.Numel == 0) throw new ArgumentException("mean: the tensor is empty");
        double s = 0;
        foreach (var v in a.data) s += v;
        int n = a.Numel;
        var r = Tensor.Wrap([(float)(s / n)], []);
        if (Tensor.NeedsGrad(a))
            r.Record("Mean", [a], g => { var ga = a.GradBuffer(); float v = g[0] / n; for (int i = 0; i < ga.Length; i++) ga[i] += v; });
        return r;
    }

    /// <summary>Sum over dim 0 of a matrix-like tensor: (n, ...) -> (...), as used to sum over a batch.</summary>
    public static Tensor SumDim0(Tensor a)
    {
        if (a.Rank < 1) throw new ArgumentException("sum_dim0: needs at least one dim");
        int n = a.Size(0), inner = a.Numel / Math.Max(1, n);
        var shape = a.ShapeArray[1..];
        var d = new float[inner];
        for (int i = 0; i < n; i++) System.Numerics.Tensors.TensorPrimitives.Add(d, a.data.AsSpan(i * inner, inner), d);
        var r = Tensor.Wrap(d, shape);
        if (Tensor.NeedsGrad(a))
            r.Record("SumDim0", [a], g =>
            {
                var ga = a.GradBuffer();
                for (int i = 0; i < n; i++) System.Numerics.Tensors.TensorPrimitives.Add(ga.AsSpan(i * inner, inner), g, ga.AsSpan(i * inner, inner));
            });
        return r;
    }
}
