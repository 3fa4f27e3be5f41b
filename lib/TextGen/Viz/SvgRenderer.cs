// A static SVG drawing of a figure, so charts show on GitHub and in any viewer that runs no
// scripts: a plot area with axes and ticks, then polylines, bars or heatmap cells, title and legend.
using System.Globalization;
using System.Net;
using System.Text;

namespace TextGen.Viz;

internal static class SvgRenderer
{
    private const int Width = 720, Height = 400, Left = 70, Right = 20, Top = 40, Bottom = 60;
    private static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
    private static string E(string s) => WebUtility.HtmlEncode(s);

    public static string Render(PlotlyFigure fig)
    {
        var sb = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">");
        sb.Append($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>");
        sb.Append($"<text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"16\">{E(fig.Title)}</text>");
        if (fig.Traces[0].Kind == TraceKind.Heatmap) Heatmap(sb, fig.Traces[0]);
        else XY(sb, fig);
        return sb.Append("</svg>").ToString();
    }

    private static void XY(StringBuilder sb, PlotlyFigure fig)
    {
        bool bars = fig.Traces.Any(t => t.Kind == TraceKind.Bar);
        Func<double, double> ty = fig.LogY ? v => Math.Log10(Math.Max(v, 1e-300)) : v => v;
        var xs = fig.Traces.SelectMany(t => t.X).Where(double.IsFinite).ToList();
        var ys = fig.Traces.SelectMany(t => t.Y).Where(v => double.IsFinite(v) && (!fig.LogY || v > 0)).Select(ty).ToList();
        double x0 = xs.Count > 0 ? xs.Min() : 0, x1 = xs.Count > 0 ? xs.Max() : 1;
        double y0 = ys.Count > 0 ? ys.Min() : 0, y1 = ys.Count > 0 ? ys.Max() : 1;
        if (bars) { y0 = Math.Min(0, y0); x0 -= 0.5; x1 += 0.5; }
        if (x1 == x0) x1 = x0 + 1;
        if (y1 == y0) y1 = y0 + 1;
        double pw = Width - Left - Right, ph = Height - Top - Bottom;
        double X(double v) => Left + (v - x0) / (x1 - x0) * pw;
        double Y(double v) => Top + ph - (ty(v) - y0) / (y1 - y0) * ph;
        sb.Append($"<g class=\"axes\" stroke=\"#444\"><line x1=\"{Left}\" y1=\"{Top + ph}\" x2=\"{Left + pw}\" y2=\"{Top + ph}\"/><line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Top + ph}\"/></g>");
        for (int i = 0; i <= 4; i++)
        {
            double yv = y0 + (y1 - y0) * i / 4, py = Top + ph - ph * i / 4;
            string label = fig.LogY ? $"1e{F(yv)}" : F(yv);
            sb.Append($"<text class=\"ytick\" x=\"{Left - 6}\" y=\"{F(py + 4)}\" text-anchor=\"end\">{label}</text>");
            if (!bars)
            {
                double xv = x0 + (x1 - x0) * i / 4;
                sb.Append($"<text class=\"xtick\" x=\"{F(Left + pw * i / 4)}\" y=\"{Top + ph + 18}\" text-anchor=\"middle\">{F(xv)}</text>");
            }
        }
        sb.Append($"<text x=\"{Left + pw / 2}\" y=\"{Height - 12}\" text-anchor=\"middle\">{E(fig.XTitle)}</text>");
        sb.Append($"<text x=\"16\" y=\"{Top + ph / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {Top + ph / 2})\">{E(fig.YTitle)}</text>");
        for (int k = 0; k < fig.Traces.Count; k++)
        {
            var t = fig.Traces[k];
            string color = Palette[k % Palette.Length];
            if (t.Kind == TraceKind.Line)
            {
                var points = t.X.Zip(t.Y).Where(p => double.IsFinite(p.Second) && (!fig.LogY || p.Second > 0)).Select(p => $"{F(X(p.First))},{F(Y(p.Second))}");
                sb.Append($"<polyline class=\"trace\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{string.Join(' ', points)}\"/>");
            }
            else
            {
                double w = pw / Math.Max(1, t.Y.Count) * 0.7;
                for (int i = 0; i < t.Y.Count; i++)
                {
                    double top = Y(t.Y[i]), baseY = Y(Math.Max(y0, 0));
                    sb.Append($"<rect class=\"bar\" x=\"{F(X(t.X[i]) - w / 2)}\" y=\"{F(Math.Min(top, baseY))}\" width=\"{F(w)}\" height=\"{F(Math.Abs(baseY - top))}\" fill=\"{color}\"/>");
                    if (t.Categories is { } c) sb.Append($"<text x=\"{F(X(t.X[i]))}\" y=\"{Top + ph + 18}\" text-anchor=\"middle\">{E(c[i])}</text>");
                }
            }
            if (!string.IsNullOrEmpty(t.Name) && fig.Traces.Count > 1)
                sb.Append($"<g class=\"legend\"><rect x=\"{Left + pw - 110}\" y=\"{Top + 6 + 16 * k}\" width=\"10\" height=\"10\" fill=\"{color}\"/><text x=\"{Left + pw - 95}\" y=\"{Top + 15 + 16 * k}\">{E(t.Name)}</text></g>");
        }
    }

    private static void Heatmap(StringBuilder sb, Trace t)
    {
        var z = t.Z!;
        int rows = z.Length, cols = rows == 0 ? 0 : z[0].Length;
        double max = z.SelectMany(r => r).Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(1).Max();
        if (max == 0) max = 1;
        double pw = Width - Left - Right, ph = Height - Top - Bottom, cw = pw / Math.Max(1, cols), ch = ph / Math.Max(1, rows);
        for (int r = 0; r < rows; r++)
        {
            sb.Append($"<text x=\"{Left - 6}\" y=\"{F(Top + ch * (r + 0.5) + 4)}\" text-anchor=\"end\">{E(t.ZyLabels?[r] ?? r.ToString(CultureInfo.InvariantCulture))}</text>");
            for (int c = 0; c < cols; c++)
            {
                double v = double.IsFinite(z[r][c]) ? z[r][c] / max : 0;
                // Blue for negative, red for positive, white at zero.
                int red = v > 0 ? 255 : (int)(255 * (1 + v)), blue = v < 0 ? 255 : (int)(255 * (1 - v)), green = (int)(255 * (1 - Math.Abs(v)));
                sb.Append($"<rect class=\"cell\" x=\"{F(Left + c * cw)}\" y=\"{F(Top + r * ch)}\" width=\"{F(cw)}\" height=\"{F(ch)}\" fill=\"rgb({red},{green},{blue})\"/>");
            }
        }
        if (t.ZxLabels is { } xl)
            for (int c = 0; c < cols; c++)
                sb.Append($"<text x=\"{F(Left + cw * (c + 0.5))}\" y=\"{Top + ph + 16}\" text-anchor=\"middle\">{E(xl[c])}</text>");
    }
}
