// Element-wise arithmetic with the broadcasting the course needs: equal shapes, a trailing-dims
// operand (a bias), or a one-element operand.
using System.Numerics.Tensors;
using TextGen.Tensors.Kernels;

namespace TextGen.Tensors;

public static partial class Ops
{
    /// <summary>How <c>b</c> is laid against <c>a</c>: element for element, repeated every <c>period</c>, or a scalar.</summary>
    private static int BroadcastPeriod(string op, Tensor a, Tensor b)
    {
        if (a.Shape.SequenceEqual(b.Shape)) return a.Numel;
        if (b.Numel == 1 && b.Rank <= a.Rank) return 1;
        if (b.Rank <= a.Rank && a.Shape[(a.Rank - b.Rank)..].SequenceEqual(b.Shape)) return b.Numel;
        throw new ArgumentException($"{op}: shapes {a.ShapeString} and {b.ShapeString} cannot be broadcast (the second must equal the first's trailing dims or have one element)");
    }

    private delegate void SpanOp(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination);
    private delegate void ScalarOp(ReadOnlySpan<float> x, float y, Span<float> destination);

    /// <summary>Applies a binary op to a and b, with b repeated every <paramref name="period"/> elements (or a scalar).</summary>
    private static float[] Broadcast(Tensor a, Tensor b, int period, SpanOp op, ScalarOp scalarOp)
    {
        var d = new float[a.Numel];
        if (period == 1) scalarOp(a.data, b.data[0], d);
        else for (int off = 0; off < d.Length; off += period) op(a.data.AsSpan(off, period), b.data, d.AsSpan(off, period));
        return d;
    }

    /// <summary>
    /// Sums a gradient of a's size down to b's period: adds every row of <paramref name="g"/> (rows of
    /// <paramref name="period"/> values) into <paramref name="destination"/>, in row order. Large inputs are split
    /// by columns over two threads, which keeps each column's order, so the result does not depend on the threads.
    /// </summary>
    internal static void ReduceToPeriod(float[] g, int period, float[] destination)
    {
        if (period == g.Length) { TensorPrimitives.Add(destination, g, destination); return; }
        if (period == 1) { destination[0] += TensorPrimitives.Sum(g); return; }
        WorkSplit.InTwo(period, 16, g.Length >= 1 << 16, (c0, c1) =>
        {
            var part = destination.AsSpan(c0, c1 - c0);
            for (int off = 0; off < g.Length; off += period)
                TensorPrimitives.Add(part, g.AsSpan(off + c0, c1 - c0), part);
        });
    }

    /// <summary>a + b (b broadcast as a bias or a scalar).</summary>
    public static Tensor Add(Tensor a, Tensor b)
    {
        int period = BroadcastPeriod("add", a, b);
        var d = Broadcast(a, b, period, TensorPrimitives.Add, TensorPrimitives.Add);
        var r = Tensor.Wrap(d, a.ShapeArray);
        if (Tensor.NeedsGrad(a, b))
            r.Record("Add", [a, b], g =>
            {
                a.AccumulateGrad(g);
                if (b.RequiresGrad) ReduceToPeriod(g, period, b.GradBuffer());
            });
        return r;
    }

    /// <summary>a - b (b broadcast as a bias or a scalar).</summary>
    public static Tensor Sub(Tensor a, Tensor b)
    {
        int period = BroadcastPeriod("sub", a, b);
        var d = Broadcast(a, b, period, TensorPrimitives.Subtract, TensorPrimitives.Subtract);
        var r = Tensor.Wrap(d, a.ShapeArray);
        if (Tensor.NeedsGrad(a, b))
            r.Record("Sub", [a, b], g =>
            {
                a.AccumulateGrad(g);
                if (b.RequiresGrad)
                {
                    var neg = new float[g.Length];
                    TensorPrimitives.Negate(g, neg);
                    ReduceToPeriod(neg, period, b.GradBuffer());
                }
            });
        return r;
    }

    /// <summary>a * b element-wise (b broadcast as trailing dims or a scalar).</summary>
    public static Tensor Mul(Tensor a, Tensor b)
    {
        int period = BroadcastPeriod("mul", a, b);
        var d = Broadcast(a, b, period, TensorPrimitives.Multiply, TensorPrimitives.Multiply);
        var r = Tensor.Wrap(d, a.ShapeArray);
        if (Tensor.NeedsGrad(a, b))
            r.Record("Mul", [a, b], g =>
            {
                if (a.RequiresGrad)
                {
                    var ga = a.GradBuffer();
                    if (period == 1) TensorPrimitives.MultiplyAdd(g, b.data[0], ga, ga);
                    else for (int off = 0; off < g.Length; off += period)
                        TensorPrimitives.MultiplyAdd(g.AsSpan(off, period), b.data, ga.AsSpan(off, period), ga.AsSpan(off, period));
                }
                if (b.RequiresGrad)
                {
                    var prod = new float[g.Length];
                    TensorPrimitives.Multiply(g, a.data, prod);
                    ReduceToPeriod(prod, period, b.GradBuffer());
                }
            });
        return r;
    }

    /// <summary>a * s for a constant s.</summary>
    public static Tensor Scale(Tensor a, float s)
    {
        var d = new float[a.Numel];
        TensorPrimitives.Multiply(a.data, s, d);
        var r = Tensor.Wrap(d, a.ShapeArray);
        if (Tensor.NeedsGrad(a))
            r.Record("Scale", [a], g => TensorPrimitives.MultiplyAdd(g, s, a.GradBuffer(), a.GradBuffer()));
        return r;
    }

    /// <summary>a + s for a constant s.</summary>
    public static Tensor AddScalar(Tensor a, float s)
    {
        var d = new float[a.Numel];
        TensorPrimitives.Add(a.data, s, d);
        var r = Tensor.Wrap(d, a.ShapeArray);
        if (Tensor.NeedsGrad(a)) r.Record("AddScalar", [a], g => a.AccumulateGrad(g));
        return r;
    }

    /// <summary>1 - a, the complement used by gates (as in <c>(1 - z) * n</c>).</summary>
    public static Tensor OneMinus(Tensor a) => AddScalar(Scale(a, -1f), 1f);
}

public sealed partial class Tensor
{
    /// <summary>Element-wise sum (b broadcast as a bias or scalar).</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Ops.Add(a, b);
    /// <summary>Element-wise difference.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Ops.Sub(a, b);
    /// <summary>Element-wise product.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Ops.Mul(a, b);
    /// <summary>Product with a constant.</summary>
    public static Tensor operator *(Tensor a, float s) => Ops.Scale(a, s);
    /// <summary>Product with a constant.</summary>
    public static Tensor operator *(float s, Tensor a) => Ops.Scale(a, s);
    /// <summary>Sum with a constant.</summary>
    public static Tensor operator +(Tensor a, float s) => Ops.AddScalar(a, s);
    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => Ops.Scale(a, -1f);

    /// <summary>Matrix product with a matrix (see <see cref="Ops.MatMul"/>).</summary>
    public Tensor MatMul(Tensor other, bool transposeOther = false) => Ops.MatMul(this, other, transposeOther);
    /// <summary>Hyperbolic tangent.</summary>
    public Tensor Tanh() => Ops.Tanh(this);
    /// <summary>Logistic sigmoid.</summary>
    public Tensor Sigmoid() => Ops.Sigmoid(this);
    /// <summary>Rectified linear unit.</summary>
    public Tensor Relu() => Ops.Relu(this);
    /// <summary>GELU (tanh form, as GPT-2).</summary>
    public Tensor Gelu() => Ops.Gelu(this);
    /// <summary>A contiguous copy with two dims swapped, like <c>x.transpose(dim0, dim1).contiguous()</c>.</summary>
    public Tensor Transpose(int dim0, int dim1) => Ops.Transpose(this, dim0, dim1);
    /// <summary>Sum of all elements, shape ().</summary>
    public Tensor Sum() => Ops.Sum(this);
    /// <summary>Mean of all elements, shape ().</summary>
    public Tensor Mean() => Ops.Mean(this);
    /// <summary>Same data with a new shape; one dim may be -1.</summary>
    public Tensor Reshape(params int[] newShape) => Ops.Reshape(this, newShape);
    /// <summary>Softmax over the last dim.</summary>
    public Tensor Softmax() => Ops.Softmax(this);
    /// <summary>Log-softmax over the last dim.</summary>
    public Tensor LogSoftmax() => Ops.LogSoftmax(this);
}
