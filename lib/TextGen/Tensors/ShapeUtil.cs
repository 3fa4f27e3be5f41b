// Shape arithmetic and the shape checks whose messages name the op and both shapes.
namespace TextGen.Tensors;

/// <summary>Helpers for shapes: element counts, offsets, formatting and validation.</summary>
public static class ShapeUtil
{
    /// <summary>Number of elements of a shape; rejects negative sizes.</summary>
    public static int Numel(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException($"shape {Format(shape)} has a negative size");
            n *= d;
            if (n > Array.MaxLength) throw new ArgumentException($"shape {Format(shape)} has more elements than one array can hold ({Array.MaxLength})");
        }
        return (int)n;
    }

    /// <summary>Formats a shape as <c>(a, b, c)</c>.</summary>
    public static string Format(ReadOnlySpan<int> shape) => "(" + string.Join(", ", shape.ToArray()) + ")";

    /// <summary>Turns a possibly negative dim into an index in [0, rank).</summary>
    public static int NormalizeDim(int dim, int rank, string op)
    {
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank) throw new ArgumentOutOfRangeException(nameof(dim), $"{op}: dim {dim} is out of range for a tensor of rank {rank}");
        return d;
    }

    /// <summary>Row-major offset of a full index.</summary>
    public static int Offset(ReadOnlySpan<int> shape, ReadOnlySpan<int> index)
    {
        if (index.Length != shape.Length) throw new ArgumentException($"index of rank {index.Length} for a tensor of shape {Format(shape)}");
        int off = 0;
        for (int i = 0; i < shape.Length; i++)
        {
            if ((uint)index[i] >= (uint)shape[i]) throw new IndexOutOfRangeException($"index {index[i]} is out of range for dim {i} of size {shape[i]}");
            off = off * shape[i] + index[i];
        }
        return off;
    }

    /// <summary>Throws unless the two shapes are equal.</summary>
    public static void CheckSame(string op, ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        if (!a.SequenceEqual(b)) throw new ArgumentException($"{op}: shapes {Format(a)} and {Format(b)} differ");
    }

    /// <summary>Product of the dims before <paramref name="dim"/>.</summary>
    public static int Outer(ReadOnlySpan<int> shape, int dim)
    {
        int n = 1;
        for (int i = 0; i < dim; i++) n *= shape[i];
        return n;
    }

    /// <summary>Product of the dims after <paramref name="dim"/>.</summary>
    public static int Inner(ReadOnlySpan<int> shape, int dim)
    {
        int n = 1;
        for (int i = dim + 1; i < shape.Length; i++) n *= shape[i];
        return n;
    }
}
