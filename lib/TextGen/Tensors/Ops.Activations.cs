// Point-wise nonlinearities: tanh, sigmoid, relu, exp, log, square.
using System.Numerics.Tensors;

namespace TextGen.Tensors;

public static partial class Ops
{
    /// <summary>tanh(a); gradient 1 - tanh².</summary>
    public static Tensor Tanh(Tensor a)
    {
        var d = new float[a.Numel];
        TensorPrimitives.Tanh(a.data, d);
        var r = Tensor.Wrap(d, a.ShapeArray);
        if (Tensor.NeedsGrad(a))
            r.Record("Tanh", [a], g =>
            {
                var ga = a.GradBuffer();
                for (int i = 0; i < g.Length; i++) ga[i] += g[i] * (1 - d[i] * d[i]);
            });
        return r;
    }

    /// <summary>1 / (1 + e^-a); gradient s(1 - s).</summary>
    public static Tensor Sigmoid(Tensor a)
    {
        var d = new float[a.Numel];
        TensorPrimitives.Sigmoid(a.data, d);
        var r = Tensor.Wrap(d, a.ShapeArray);
        if (Tensor.NeedsGrad(a))
            r.Record("Sigmoid", [a], g =>
            {
                var ga = a.GradBuffer();
                for (int i = 0; i < g.Length; i++) ga[i] += g[i] * d[i] * (1 - d[i]);
            });
        return r;
    }

    /// <summary>max(a, 0); gradient 1 where a &gt; 0.</summary>
    public static Tensor Relu(Tensor a)
    {
        var d = new float[a.Numel];
        TensorPrimitives.Max(a.data, 0f, d);
        var r = Tensor.Wrap(d, a.ShapeArray);
        if (Tensor.NeedsGrad(a))
            r.Record("Relu", [a], g =>
            {
                var ga = a.GradBuffer();
                for (int i = 0; i < g.Length; i++) if (a.data[i] > 0) ga[i] += g[i];
            });
        return r;
    }

    /// <summary>e^a.</summary>
    public static Tensor Exp(Tensor a)
    {
        var d = new float[a.Numel];
        TensorPrimitives.Exp(a.data, d);
        var r = Tensor.Wrap(d, a.ShapeArray);
        if (Tensor.NeedsGrad(a))
            r.Record("Exp", [a], g => { var ga = a.GradBuffer(); TensorPrimitives.MultiplyAdd(g, d, ga, ga); });
        return r;
    }

    /// <summary>Natural logarithm.</summary>
    public static Tensor Log(Tensor a)
    {
        var d = new float[a.Numel];
        TensorPrimitives.Log(a.data, d);
        var r = Tensor.Wrap(d, a.ShapeArray);
        if (Tensor.NeedsGrad(a))
            r.Record("Log", [a], g =>
            {
                var ga = a.GradBuffer();
                for (int i = 0; i < g.Length; i++) ga[i] += g[i] / a.data[i];
            });
        return r;
    }

    /// <summary>a².</summary>
    public static Tensor Square(Tensor a) => Mul(a, a);
}
