// Tensor: a contiguous float32 array (on the CPU) with a shape and an optional gradient.
// Ops live in the static partial class Ops (one file per family); this file holds storage and autograd hooks.
using System.Runtime.CompilerServices;

namespace TextGen.Tensors;

/// <summary>A contiguous row-major float32 tensor with reverse-mode automatic differentiation.</summary>
public sealed partial class Tensor
{
    internal float[] data;
    private readonly int[] shape;

    /// <summary>Creates a tensor that owns <paramref name="data"/> (no copy) with the given shape.</summary>
    public Tensor(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        long n = ShapeUtil.Numel(shape);
        if (n != data.Length)
            throw new ArgumentException($"tensor: data has {data.Length} elements but shape {ShapeUtil.Format(shape)} needs {n}");
        this.data = data;
        this.shape = (int[])shape.Clone();
    }

    /// <summary>The size of each dimension.</summary>
    public ReadOnlySpan<int> Shape => shape;

    /// <summary>A copy of the shape, handy where an array is needed.</summary>
    public int[] ShapeArray => (int[])shape.Clone();

    /// <summary>Number of dimensions.</summary>
    public int Rank => shape.Length;

    /// <summary>Total number of elements.</summary>
    public int Numel => data.Length;

    /// <summary>Size of dimension <paramref name="dim"/>; negative values count from the end.</summary>
    public int Size(int dim) => shape[ShapeUtil.NormalizeDim(dim, shape.Length, "size")];

    /// <summary>The values as a span (row-major). Writing to it bypasses autograd.</summary>
    public Span<float> Span => data;

    /// <summary>The backing array (row-major, no copy).</summary>
    public float[] Data => data;

    /// <summary>The single value of a one-element tensor.</summary>
    public float Item()
    {
        if (data.Length != 1)
            throw new InvalidOperationException($"item: tensor of shape {ShapeUtil.Format(shape)} has {data.Length} elements, not 1");
        return data[0];
    }

    /// <summary>A copy of the values.</summary>
    public float[] ToArray() => (float[])data.Clone();

    /// <summary>Value at a multi-dimensional index.</summary>
    [IndexerName("Value")]
    public float this[params int[] index]
    {
        get => data[ShapeUtil.Offset(shape, index)];
        set => data[ShapeUtil.Offset(shape, index)] = value;
    }

    /// <summary>Shape formatted as in PyTorch error messages, e.g. <c>(32, 20)</c>.</summary>
    public string ShapeString => ShapeUtil.Format(shape);

    /// <inheritdoc />
    public override string ToString() => TensorFormatter.Format(this);

    // ---- construction helpers -------------------------------------------------------------

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(params int[] shape) => new(new float[ShapeUtil.Numel(shape)], shape);

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(params int[] shape) => Full(1f, shape);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params int[] shape)
    {
        var d = new float[ShapeUtil.Numel(shape)];
        Array.Fill(d, value);
        return new Tensor(d, shape);
    }

    /// <summary>A tensor holding a copy of <paramref name="values"/> with the given shape.</summary>
    public static Tensor FromArray(ReadOnlySpan<float> values, params int[] shape) => new(values.ToArray(), shape);

    /// <summary>A one-element tensor of shape <c>()</c>.</summary>
    public static Tensor Scalar(float value) => new([value]);

    /// <summary>Values drawn uniformly from [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static Tensor Uniform(Generator generator, float low, float high, params int[] shape)
    {
        var t = Zeros(shape);
        generator.FillUniform(t.data, low, high);
        return t;
    }

    /// <summary>Values drawn from a normal distribution.</summary>
    public static Tensor Normal(Generator generator, float mean, float std, params int[] shape)
    {
        var t = Zeros(shape);
        generator.FillNormal(t.data, mean, std);
        return t;
    }

    /// <summary>A new tensor with the same values, detached from the graph.</summary>
    public Tensor Clone() => new((float[])data.Clone(), shape);

    /// <summary>The same values (shared) without gradient history.</summary>
    public Tensor Detach() => new(data, shape);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Tensor Wrap(float[] data, int[] shape) => new(data, shape, trusted: true);

    private Tensor(float[] data, int[] shape, bool trusted)
    {
        _ = trusted;
        this.data = data;
        this.shape = shape;
    }
}
