// A static SVG of a Plotly.NET chart, drawn from the figure JSON plotly.js itself would draw: line, grouped
// bar and heatmap traces, title, axis titles, ticks (linear or log), legend, and the template's colours.
// Notebook viewers that run no scripts (GitHub, nbviewer) show this picture in place of the live chart.
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Plotly.NET;

namespace TextGen.Viz;

/// <summary>Renders charts as standalone SVG documents, without a browser.</summary>
public static class SvgRenderer
{
    private const int Left = 72, Right = 24, Top = 48, Bottom = 64;
    private static readonly string[] DefaultColorway = ["#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3", "#FF6692", "#B6E880", "#FF97FF", "#FECB52"];
    // plotly.js's "RdBu" scale: blue at the low end, red at the high end.
    private static readonly (double At, int R, int G, int B)[] RdBu =
        [(0, 5, 10, 172), (0.35, 106, 137, 247), (0.5, 190, 190, 190), (0.6, 220, 170, 132), (0.7, 230, 145, 90), (1, 178, 10, 28)];
    // plotly.js's "Viridis" scale, sampled at its quarters: dark purple at the low end, yellow at the high end.
    private static readonly (double At, int R, int G, int B)[] Viridis =
        [(0, 68, 1, 84), (0.25, 59, 82, 139), (0.5, 33, 145, 140), (0.75, 94, 201, 98), (1, 253, 231, 37)];

    /// <summary>The chart as an SVG document.</summary>
    public static string Render(GenericChart chart) => Render(JsonNode.Parse(GenericChart.toFigureJson(chart))!);

    /// <summary>The figure (plotly.js JSON: data and layout) as an SVG document.</summary>
    public static string Render(JsonNode figure)
    {
        var layout = figure["layout"] ?? new JsonObject();
        var traces = (figure["data"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var style = new Style(layout);
        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{style.Width}\" height=\"{style.Height}\" viewBox=\"0 0 {style.Width} {style.Height}\" font-family=\"'Open Sans', verdana, arial, sans-serif\" font-size=\"12\" fill=\"{style.Font}\">");
        sb.Append($"<rect width=\"{style.Width}\" height=\"{style.Height}\" fill=\"{style.Paper}\"/>");
        sb.Append($"<rect class=\"plot\" x=\"{Left}\" y=\"{Top}\" width=\"{F(style.PlotWidth)}\" height=\"{F(style.PlotHeight)}\" fill=\"{style.PlotBackground}\"/>");
        sb.Append($"<text class=\"title\" x=\"{Left}\" y=\"28\" font-size=\"17\">{E(Text(layout["title"]?["text"]))}</text>");
        if (traces.Count > 0 && Kind(traces[0]) == "heatmap") Heatmap(sb, style, traces[0]);
        else XY(sb, style, layout, traces);
        sb.Append($"<text x=\"{F(Left + style.PlotWidth / 2)}\" y=\"{style.Height - 14}\" text-anchor=\"middle\" font-size=\"14\">{E(Text(layout["xaxis"]?["title"]?["text"]))}</text>");
        double midY = Top + style.PlotHeight / 2;
        sb.Append($"<text x=\"18\" y=\"{F(midY)}\" text-anchor=\"middle\" font-size=\"14\" transform=\"rotate(-90 18 {F(midY)})\">{E(Text(layout["yaxis"]?["title"]?["text"]))}</text>");
        return sb.Append("</svg>").ToString();
    }

    private sealed class Style
    {
        public Style(JsonNode layout)
        {
            var template = layout["template"]?["layout"];
            Width = (int?)Number(layout["width"]) ?? Charts.Width;
            Height = (int?)Number(layout["height"]) ?? Charts.Height;
            Paper = Text(layout["paper_bgcolor"] ?? template?["paper_bgcolor"], "white");
            PlotBackground = Text(layout["plot_bgcolor"] ?? template?["plot_bgcolor"], "white");
            Font = Text(template?["font"]?["color"], "#444");
            var colorway = (layout["colorway"] ?? template?["colorway"]) as JsonArray;
            Colorway = colorway is { Count: > 0 } ? colorway.Select(c => Text(c)).ToArray() : DefaultColorway;
        }

        public int Width { get; }
        public int Height { get; }
        public double PlotWidth => Width - Left - Right;
        public double PlotHeight => Height - Top - Bottom;
        public string Paper { get; }
        public string PlotBackground { get; }
        public string Font { get; }
        public string[] Colorway { get; }
    }

    private static void XY(StringBuilder sb, Style style, JsonNode layout, List<JsonObject> traces)
    {
        bool logY = Text(layout["yaxis"]?["type"]) == "log";
        var bars = traces.Where(t => Kind(t) == "bar").ToList();
        var categories = bars.SelectMany(t => Values(t["x"]).Select(v => v.Label)).Distinct().ToList();
        var ys = traces.SelectMany(t => Values(t["y"])).Select(v => v.Number).OfType<double>().Where(v => !logY || v > 0).ToList();
        var xs = traces.Where(t => Kind(t) != "bar").SelectMany(t => Values(t["x"])).Select(v => v.Number).OfType<double>().ToList();
        var yAxis = logY ? Axis.Log(ys) : Axis.Linear(ys, includeZero: bars.Count > 0);
        var xAxis = bars.Count > 0 ? new Axis(-0.5, categories.Count - 0.5, []) : Axis.Linear(xs, includeZero: false);
        double X(double v) => Left + (v - xAxis.Min) / (xAxis.Max - xAxis.Min) * style.PlotWidth;
        double Y(double v) => Top + style.PlotHeight - (yAxis.Transform(v) - yAxis.Min) / (yAxis.Max - yAxis.Min) * style.PlotHeight;

        sb.Append("<g class=\"grid\" stroke=\"white\" stroke-width=\"1\">");
        foreach (var t in yAxis.Ticks) sb.Append($"<line x1=\"{Left}\" x2=\"{F(Left + style.PlotWidth)}\" y1=\"{F(Y(t.Value))}\" y2=\"{F(Y(t.Value))}\"/>");
        foreach (var t in xAxis.Ticks) sb.Append($"<line y1=\"{Top}\" y2=\"{F(Top + style.PlotHeight)}\" x1=\"{F(X(t.Value))}\" x2=\"{F(X(t.Value))}\"/>");
        sb.Append("</g>");
        foreach (var t in yAxis.Ticks) sb.Append($"<text class=\"ytick\" x=\"{Left - 6}\" y=\"{F(Y(t.Value) + 4)}\" text-anchor=\"end\">{E(t.Label)}</text>");
        foreach (var t in xAxis.Ticks) sb.Append($"<text class=\"xtick\" x=\"{F(X(t.Value))}\" y=\"{F(Top + style.PlotHeight + 18)}\" text-anchor=\"middle\">{E(t.Label)}</text>");
        for (int c = 0; c < categories.Count; c++)
            sb.Append($"<text class=\"xtick\" x=\"{F(X(c))}\" y=\"{F(Top + style.PlotHeight + 18)}\" text-anchor=\"middle\">{E(categories[c])}</text>");

        // Grouped bars share each category's slot (80% of it), side by side in trace order, as plotly.js draws them.
        double slot = style.PlotWidth / Math.Max(1, categories.Count), barWidth = slot * 0.8 / Math.Max(1, bars.Count);
        var legend = new List<(string Name, string Color)>();
        for (int k = 0; k < traces.Count; k++)
        {
            var t = traces[k];
            string color = style.Colorway[k % style.Colorway.Length], name = Text(t["name"]);
            if (name.Length > 0 && (bool?)t["showlegend"] != false) legend.Add((name, color));
            var x = Values(t["x"]);
            var y = Values(t["y"]);
            if (Kind(t) == "bar")
            {
                int group = bars.IndexOf(t);
                for (int i = 0; i < y.Count && i < x.Count; i++)
                {
                    if (y[i].Number is not { } v) continue;
                    double left = X(categories.IndexOf(x[i].Label)) - slot * 0.4 + group * barWidth;
                    double top = Y(v), baseline = logY ? Top + style.PlotHeight : Y(0);
                    sb.Append($"<rect class=\"bar\" x=\"{F(left)}\" y=\"{F(Math.Min(top, baseline))}\" width=\"{F(barWidth)}\" height=\"{F(Math.Abs(baseline - top))}\" fill=\"{color}\"/>");
                }
            }
            else
            {
                // A missing or non-positive (on a log axis) value breaks the line, as in plotly.js.
                var segments = new List<List<string>> { new() };
                for (int i = 0; i < y.Count && i < x.Count; i++)
                {
                    if (x[i].Number is { } xv && y[i].Number is { } yv && (!logY || yv > 0)) segments[^1].Add($"{F(X(xv))},{F(Y(yv))}");
                    else if (segments[^1].Count > 0) segments.Add([]);
                }
                foreach (var points in segments.Where(s => s.Count > 0))
                    sb.Append($"<polyline class=\"trace\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{string.Join(' ', points)}\"/>");
            }
        }
        if (legend.Count > 1 || (legend.Count == 1 && traces.Count > 1))
        {
            double lx = Left + style.PlotWidth - 150;
            sb.Append($"<rect class=\"legend\" x=\"{F(lx - 8)}\" y=\"{Top + 4}\" width=\"154\" height=\"{16 * legend.Count + 8}\" fill=\"white\" fill-opacity=\"0.85\"/>");
            for (int i = 0; i < legend.Count; i++)
                sb.Append($"<g class=\"legend-item\"><rect x=\"{F(lx)}\" y=\"{Top + 10 + 16 * i}\" width=\"18\" height=\"4\" fill=\"{legend[i].Color}\"/><text x=\"{F(lx + 24)}\" y=\"{Top + 16 + 16 * i}\">{E(legend[i].Name)}</text></g>");
        }
    }

    private static void Heatmap(StringBuilder sb, Style style, JsonObject trace)
    {
        var z = (trace["z"] as JsonArray ?? []).Select(r => Values(r).Select(v => v.Number).ToArray()).ToArray();
        var columns = Values(trace["x"]).Select(v => v.Label).ToList();
        var rows = Values(trace["y"]).Select(v => v.Label).ToList();
        int nr = z.Length, nc = nr == 0 ? 0 : z.Max(r => r.Length);
        var finite = z.SelectMany(r => r).OfType<double>().ToList();
        double lo = finite.DefaultIfEmpty(0).Min(), hi = finite.DefaultIfEmpty(1).Max();
        if (hi == lo) hi = lo + 1;
        double cw = style.PlotWidth / Math.Max(1, nc), ch = style.PlotHeight / Math.Max(1, nr);
        var stops = Text(trace["colorscale"]) == "Viridis" ? Viridis : RdBu;
        // Row 0 at the top: the charts set the y axis to "reversed", as a table reads.
        for (int r = 0; r < nr; r++)
        {
            sb.Append($"<text class=\"ytick\" x=\"{Left - 6}\" y=\"{F(Top + ch * (r + 0.5) + 4)}\" text-anchor=\"end\">{E(r < rows.Count ? rows[r] : r.ToString(CultureInfo.InvariantCulture))}</text>");
            for (int c = 0; c < z[r].Length; c++)
            {
                if (z[r][c] is not { } v) continue;
                sb.Append($"<rect class=\"cell\" x=\"{F(Left + c * cw)}\" y=\"{F(Top + r * ch)}\" width=\"{F(cw + 0.5)}\" height=\"{F(ch + 0.5)}\" fill=\"{Scale(stops, (v - lo) / (hi - lo))}\"/>");
            }
        }
        int every = Math.Max(1, (int)Math.Ceiling(nc * 9.0 / style.PlotWidth));
        for (int c = 0; c < columns.Count; c += every)
            sb.Append($"<text class=\"xtick\" x=\"{F(Left + cw * (c + 0.5))}\" y=\"{F(Top + style.PlotHeight + 16)}\" text-anchor=\"middle\">{E(columns[c])}</text>");
    }

    private static string Scale((double At, int R, int G, int B)[] stops, double t)
    {
        t = Math.Clamp(t, 0, 1);
        int i = 1;
        while (i < stops.Length - 1 && stops[i].At < t) i++;
        var (a, b) = (stops[i - 1], stops[i]);
        double f = (t - a.At) / (b.At - a.At);
        int Mix(int p, int q) => (int)Math.Round(p + (q - p) * f);
        return $"rgb({Mix(a.R, b.R)},{Mix(a.G, b.G)},{Mix(a.B, b.B)})";
    }

    /// <summary>An axis range (in drawn units: log10 for a log axis) and its labelled ticks.</summary>
    private sealed record Axis(double Min, double Max, IReadOnlyList<(double Value, string Label)> Ticks, bool IsLog = false)
    {
        public double Transform(double v) => IsLog ? Math.Log10(v) : v;

        public static Axis Linear(IReadOnlyCollection<double> values, bool includeZero)
        {
            double lo = values.Count > 0 ? values.Min() : 0, hi = values.Count > 0 ? values.Max() : 1;
            if (includeZero) { lo = Math.Min(lo, 0); hi = Math.Max(hi, 0); }
            if (hi == lo) { lo -= 0.5; hi += 0.5; }
            double step = NiceStep((hi - lo) / 5);
            var ticks = new List<(double, string)>();
            for (double v = Math.Ceiling(lo / step) * step; v <= hi + step * 1e-9; v += step)
                ticks.Add((Math.Abs(v) < step * 1e-9 ? 0 : v, Label(v, step)));
            double pad = includeZero ? 0 : (hi - lo) * 0.04;
            return new Axis(includeZero && lo == 0 ? 0 : lo - pad, hi + pad + (includeZero ? (hi - lo) * 0.05 : 0), ticks);
        }

        public static Axis Log(IReadOnlyCollection<double> values)
        {
            double lo = values.Count > 0 ? Math.Log10(values.Min()) : 0, hi = values.Count > 0 ? Math.Log10(values.Max()) : 1;
            if (hi == lo) { lo -= 0.5; hi += 0.5; }
            int stride = Math.Max(1, (int)Math.Ceiling((Math.Floor(hi) - Math.Ceiling(lo) + 1) / 8));
            var ticks = new List<(double, string)>();
            for (int p = (int)Math.Ceiling(lo); p <= Math.Floor(hi); p += stride)
                ticks.Add((Math.Pow(10, p), p is >= -2 and <= 3 ? Math.Pow(10, p).ToString("0.##", CultureInfo.InvariantCulture) : $"1e{p}"));
            double pad = (hi - lo) * 0.04;
            return new Axis(lo - pad, hi + pad, ticks, IsLog: true);
        }

        private static double NiceStep(double raw)
        {
            double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
            double f = raw / magnitude;
            return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * magnitude;
        }

        private static string Label(double v, double step) =>
            Math.Abs(v) >= 10_000 ? v.ToString("0.##e0", CultureInfo.InvariantCulture)
            : v.ToString(step >= 1 ? "0" : "0." + new string('#', Math.Min(6, (int)Math.Ceiling(-Math.Log10(step)))), CultureInfo.InvariantCulture);
    }

    private readonly record struct Value(double? Number, string Label);

    /// <summary>A JSON array's items as numbers (null where not a finite number, e.g. "NaN") and as labels.</summary>
    private static List<Value> Values(JsonNode? node) =>
        (node as JsonArray ?? []).Select(n => n is JsonValue v && v.TryGetValue<double>(out var d) && double.IsFinite(d)
            ? new Value(d, d.ToString("0.###", CultureInfo.InvariantCulture))
            : new Value(null, n is JsonValue s && s.TryGetValue<string>(out var text) ? text : "")).ToList();

    private static string Kind(JsonNode trace) => Text(trace["type"], "scatter");
    private static double? Number(JsonNode? n) => n is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;
    private static string Text(JsonNode? n, string fallback = "") => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : fallback;
    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
    private static string E(string s) => WebUtility.HtmlEncode(s);
}
