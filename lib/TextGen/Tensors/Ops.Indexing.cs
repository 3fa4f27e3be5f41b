// Shape and index ops: reshape, slice (narrow), concat, embedding lookup, one-hot.
namespace TextGen.Tensors;

public static partial class Ops
{
    /// <summary>Same values with a new shape (one dim may be -1); the data is shared.</summary>
    public static Tensor Reshape(Tensor a, params int[] newShape)
    {
        var shape = (int[])newShape.Clone();
        int infer = Array.IndexOf(shape, -1);
        if (infer >= 0)
        {
            int known = 1;
            for (int i = 0; i < shape.Length; i++) if (i != infer) known *= shape[i];
            if (known == 0 || a.Numel % known != 0)
                throw new ArgumentException($"reshape: cannot view {a.ShapeString} as {ShapeUtil.Format(newShape)}");
            shape[infer] = a.Numel / known;
        }
        if (ShapeUtil.Numel(shape) != a.Numel)
            throw new ArgumentException($"reshape: {a.ShapeString} has {a.Numel} elements, {ShapeUtil.Format(newShape)} needs {ShapeUtil.Numel(shape)}");
        var r = Tensor.Wrap(a.data, shape);
        if (Tensor.NeedsGrad(a)) r.Record("Reshape", [a], g => a.AccumulateGrad(g));
        return r;
    }

    /// <summary>The slice [start, start + length) along <paramref name="dim"/>, copied (like <c>narrow</c>).</summary>
    public static Tensor Slice(Tensor a, int dim, int start, int length)
    {
        dim = ShapeUtil.NormalizeDim(dim, a.Rank, "slice");
        int size = a.Shape[dim];
        if (start < 0 || length < 0 || start + length > size)
            throw new ArgumentOutOfRangeException(nameof(start), $"slice: [{start}, {start + length}) is outside dim {dim} of size {size} in {a.ShapeString}");
        int outer = ShapeUtil.Outer(a.Shape, dim), inner = ShapeUtil.Inner(a.Shape, dim);
        var shape = a.ShapeArray; shape[dim] = length;
        var d = new float[outer * length * inner];
        for (int o = 0; o < outer; o++)
            a.data.AsSpan((o * size + start) * inner, length * inner).CopyTo(d.AsSpan(o * length * inner));
        var r = Tensor.Wrap(d, shape);
        if (Tensor.NeedsGrad(a))
            r.Record("Slice", [a], g =>
            {
                var ga = a.GradBuffer();
                for (int o = 0; o < outer; o++)
                {
                    var dst = ga.AsSpan((o * size + start) * inner, length * inner);
                    System.Numerics.Tensors.TensorPrimitives.Add(dst, g.AsSpan(o * length * inner, length * inner), dst);
                }
            });
        return r;
    }

    /// <summary>Index <paramref name="index"/> of <paramref name="dim"/>, with that dim removed (like <c>x[:, t]</c>).</summary>
    public static Tensor Select(Tensor a, int dim, int index)
    {
        dim = ShapeUtil.NormalizeDim(dim, a.Rank, "select");
        var s = Slice(a, dim, index, 1);
        var shape = a.ShapeArray.Where((_, i) => i != dim).ToArray();
        return Reshape(s, shape);
    }

    /// <summary>Joins tensors along <paramref name="dim"/>; all other dims must agree.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int dim)
    {
        if (tensors.Count == 0) throw new ArgumentException("concat: no tensors");
        var first = tensors[0];
        dim = ShapeUtil.NormalizeDim(dim, first.Rank, "concat");
        int total = 0;
        foreach (var t in tensors)
        {
            if (t.Rank != first.Rank) throw new ArgumentException($"concat: shapes {first.ShapeString} and {t.ShapeString} differ in rank");
            for (int i = 0; i < t.Rank; i++)
                if (i != dim && t.Shape[i] != first.Shape[i])
                    throw new ArgumentException($"concat: shapes {first.ShapeString} and {t.ShapeString} differ outside dim {dim}");
            total += t.Shape[dim];
        }
        int outer = ShapeUtil.Outer(first.Shape, dim), inner = ShapeUtil.Inner(first.Shape, dim);
        var shape = first.ShapeArray; shape[dim] = total;
        var d = new float[outer * total * inner];
        int at = 0;
        var offsets = new int[tensors.Count];
        for (int k = 0; k < tensors.Count; k++)
        {
            var t = tensors[k]; int len = t.Shape[dim];
            offsets[k] = at;
            for (int o = 0; o < outer; o++)
                t.data.AsSpan(o * len * inner, len * inner).CopyTo(d.AsSpan((o * total + at) * inner));
            at += len;
        }
        var inputs = tensors.ToArray();
        var r = Tensor.Wrap(d, shape);
        if (Tensor.NeedsGrad(inputs))
            r.Record("Concat", inputs, g =>
            {
                for (int k = 0; k < inputs.Length; k++)
                {
                    var t = inputs[k];
                    if (!t.RequiresGrad) continue;
                    int len = t.Shape[dim]; var gt = t.GradBuffer();
                    for (int o = 0; o < outer; o++)
                    {
                        var dst = gt.AsSpan(o * len * inner, len * inner);
                        System.Numerics.Tensors.TensorPrimitives.Add(dst, g.AsSpan((o * total + offsets[k]) * inner, len * inner), dst);
                    }
                }
            });
        return r;
    }

    /// <summary>Stacks equal-shaped tensors along a new dim.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int dim)
    {
        if (tensors.Count == 0) throw new ArgumentException("stack: no tensors");
        var s = tensors[0].ShapeArray.ToList();
        int d = dim < 0 ? dim + s.Count + 1 : dim;
        s.Insert(d, 1);
        var expanded = tensors.Select(t => Reshape(t, [.. s])).ToArray();
        return Concat(expanded, d);
    }

    /// <summary>
    /// Rows of <paramref name="weight"/> (V, E) picked by <paramref name="ids"/>; output shape is
    /// <paramref name="idShape"/> + (E). The backward pass scatter-adds into the picked rows.
    /// </summary>
    public static Tensor Embedding(Tensor weight, ReadOnlySpan<int> ids, params int[] idShape)
    {
        if (weight.Rank != 2) throw new ArgumentException($"embedding: weight must be (num_embeddings, embedding_dim), got {weight.ShapeString}");
        if (ShapeUtil.Numel(idShape) != ids.Length)
            throw new ArgumentException($"embedding: {ids.Length} ids do not fill shape {ShapeUtil.Format(idShape)}");
        int v = weight.Size(0), e = weight.Size(1);
        var idx = ids.ToArray();
        var d = new float[idx.Length * e];
        for (int i = 0; i < idx.Length; i++)
        {
            if ((uint)idx[i] >= (uint)v)
                throw new ArgumentOutOfRangeException(nameof(ids), $"embedding: token id {idx[i]} is outside the vocabulary of size {v}");
            weight.data.AsSpan(idx[i] * e, e).CopyTo(d.AsSpan(i * e));
        }
        var r = Tensor.Wrap(d, [.. idShape, e]);
        if (Tensor.NeedsGrad(weight))
            r.Record("Embedding", [weight], g =>
            {
                var gw = weight.GradBuffer();
                for (int i = 0; i < idx.Length; i++)
                {
                    var row = gw.AsSpan(idx[i] * e, e);
                    System.Numerics.Tensors.TensorPrimitives.Add(row, g.AsSpan(i * e, e), row);
                }
            });
        return r;
    }

    /// <summary>One-hot vectors: shape <paramref name="idShape"/> + (numClasses), no gradient.</summary>
    public static Tensor OneHot(ReadOnlySpan<int> ids, int numClasses, params int[] idShape)
    {
        if (numClasses < 1) throw new ArgumentOutOfRangeException(nameof(numClasses), "one_hot: numClasses must be at least 1");
        if (ShapeUtil.Numel(idShape) != ids.Length)
            throw new ArgumentException($"one_hot: {ids.Length} ids do not fill shape {ShapeUtil.Format(idShape)}");
        var d = new float[(long)ids.Length * numClasses > Array.MaxLength ? throw new ArgumentException("one_hot: too large") : ids.Length * numClasses];
        for (int i = 0; i < ids.Length; i++)
        {
            if ((uint)ids[i] >= (uint)numClasses)
                throw new ArgumentOutOfRangeException(nameof(ids), $"one_hot: token id {ids[i]} is outside the vocabulary of size {numClasses}");
            d[i * numClasses + ids[i]] = 1f;
        }
        return Tensor.Wrap(d, [.. idShape, numClasses]);
    }

    /// <summary>Inverted dropout: zeroes each element with probability <paramref name="p"/> and scales the rest by 1/(1-p).</summary>
    public static Tensor Dropout(Tensor a, float p, bool training, Generator generator)
    {
        if (p < 0 || p >= 1) throw new ArgumentOutOfRangeException(nameof(p), $"dropout: probability {p} must be in [0, 1)");
        if (!training || p == 0) return a;
        float scale = 1f / (1f - p);
        var mask = new float[a.Numel];
        for (int i = 0; i < mask.Length; i++) mask[i] = generator.NextFloat() < p ? 0f : scale;
        var d = new float[a.Numel];
        System.Numerics.Tensors.TensorPrimitives.Multiply(a.data, mask, d);
        var r = Tensor.Wrap(d, a.ShapeArray);
        if (Tensor.NeedsGrad(a))
            r.Record("Dropout", [a], g => { var ga = a.GradBuffer(); System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(g, mask, ga, ga); });
        return r;
    }
}
