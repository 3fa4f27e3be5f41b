// A tensor as a header (shape, dtype, device, gradient) and a table of its values: the whole of a small
// tensor, or the corners of a large one. Tensors of rank 3 and more show their first matrix.
using System.Globalization;
using System.Text;
using TextGen.Tensors;
using static TextGen.Interactive.NotebookFormatters;

namespace TextGen.Interactive;

internal static class TensorView
{
    private const int Edge = 4;

    public static string Html(Tensor t)
    {
        var sb = new StringBuilder($"<div class=\"textgen-tensor\" style=\"{Font}\">");
        string grad = t.GradFn is { } fn ? $" · grad_fn {fn}" : t.RequiresGrad ? " · requires grad" : "";
        sb.Append($"<div><code>tensor</code> shape <code>{E(t.ShapeString)}</code> · float32{E(grad)}</div>");
        if (t.Rank == 0) return sb.Append($"<pre style=\"margin:4px 0\">{Num(t.Data[0])}</pre></div>").ToString();
        int rows = t.Rank == 1 ? 1 : t.Size(-2), cols = t.Size(-1);
        if (t.Rank > 2) sb.Append($"<div style=\"color:#57606a\">showing [{string.Join(", ", Enumerable.Repeat("0", t.Rank - 2))}, :, :]</div>");
        sb.Append("<table style=\"border-collapse:collapse;font-family:monospace;margin:4px 0\">");
        foreach (int r in Indices(rows))
        {
            sb.Append("<tr>");
            foreach (int c in Indices(cols))
                sb.Append(r < 0 || c < 0 ? "<td style=\"padding:1px 6px;color:#57606a\">…</td>"
                    : $"<td style=\"padding:1px 6px;text-align:right\">{Num(t.Data[r * cols + c])}</td>");
            sb.Append("</tr>");
        }
        return sb.Append("</table></div>").ToString();
    }

    /// <summary>0..n-1, or the first and last <see cref="Edge"/> with -1 marking the gap.</summary>
    private static IEnumerable<int> Indices(int n) =>
        n <= 2 * Edge + 1 ? Enumerable.Range(0, n) : [.. Enumerable.Range(0, Edge), -1, .. Enumerable.Range(n - Edge, Edge)];

    private static string Num(float v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
}
