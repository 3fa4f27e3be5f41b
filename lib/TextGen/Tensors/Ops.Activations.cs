// Point-wise nonlinearities: tanh, sigmoid, relu, gelu, exp, log, square.
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

    /// <summary>
    /// GELU in its tanh form, as GPT-2 and <c>F.gelu(x, approximate="tanh")</c>: a smooth relu that lets a little
    /// negative signal through. (PyTorch's default <c>F.gelu</c> uses erf; the two differ by less than 1e-3.)
    /// </summary>
    /// <remarks>
    /// y = x/2 (1 + tanh u) with u = sqrt(2/pi) (x + 0.044715 x^3), computed as y = x s with s = sigmoid(2u) = (1 + tanh u)/2,
    /// which keeps its precision where tanh u is near -1; dy/dx = s + 2 x s (1 - s) sqrt(2/pi) (1 + 3 * 0.044715 x^2).
    /// </remarks>
    public static Tensor Gelu(Tensor a)
    {
        const float c = 0.7978845608f, k = 0.044715f; // sqrt(2/pi), and the cubic term's weight
        var s = new float[a.Numel];                   // sigmoid(2u), kept for the backward pass
        var x = a.data;
        for (int i = 0; i < s.Length; i++) s[i] = 2f * c * (x[i] + k * x[i] * x[i] * x[i]);
        TensorPrimitives.Sigmoid(s, s);
        var d = new float[a.Numel];
        TensorPrimitives.Multiply(x, s, d);
        var r = Tensor.Wrap(d, a.ShapeArray);
        if (Tensor.NeedsGrad(a))
            r.Record("Gelu", [a], g =>
            {
                var ga = a.GradBuffer();
                for (int i = 0; i < g.Length; i++)
                {
                    float si = s[i], xi = x[i];
                    ga[i] += g[i] * (si + 2f * xi * si * (1f - si) * c * (1f + 3f * k * xi * xi));
                }
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
