// Text form of a tensor, PyTorch-like, abbreviated for large tensors so notebook output stays readable.
using System.Globalization;
using System.Text;

namespace TextGen.Tensors;

internal static class TensorFormatter
{
    private const int EdgeItems = 3;

    public static string Format(Tensor t)
    {
        var sb = new StringBuilder("tensor(");
        if (t.Rank == 0) sb.Append(Num(t.Data[0]));
        else Append(sb, t.Data, t.Shape.ToArray(), 0, 0, 7);
        sb.Append(", shape=").Append(t.ShapeString);
        if (t.GradFn is { } fn) sb.Append(", grad_fn=").Append(fn);
        else if (t.RequiresGrad) sb.Append(", requires_grad=True");
        return sb.Append(')').ToString();
    }

    private static string Num(float v) => v.ToString("0.0000", CultureInfo.InvariantCulture);

    private static void Append(StringBuilder sb, float[] data, int[] shape, int dim, int offset, int indent)
    {
        int n = shape[dim];
        int stride = ShapeUtil.Inner(shape, dim);
        bool abbreviate = n > 2 * EdgeItems + 1;
        sb.Append('[');
        for (int i = 0; i < n; i++)
        {
            if (abbreviate && i == EdgeItems)
            {
                sb.Append(dim == shape.Length - 1 ? "..., " : "...,\n" + new string(' ', indent + dim + 1));
                i = n - EdgeItems - 1;
                continue;
            }
            if (dim == shape.Length - 1) sb.Append(Num(data[offset + i]));
            else Append(sb, data, shape, dim + 1, offset + i * stride, indent);
            if (i < n - 1) sb.Append(dim == shape.Length - 1 ? ", " : ",\n" + new string(' ', indent + dim + 1));
        }
        sb.Append(']');
    }
}
