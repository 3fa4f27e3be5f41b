// The lessons' charts as Plotly.NET charts: lines, bars (one series or grouped) and heatmaps, all at the
// course's size, with titles on the chart and its axes. Display in a notebook comes from the kernel
// formatters in TextGen.Interactive: the interactive chart with plotly.js carried along, and a static SVG.
using Plotly.NET;
using PlotlyChart = Plotly.NET.CSharp.Chart;
using Plotly.NET.CSharp;

namespace TextGen.Viz;

/// <summary>Builds the charts the lessons draw, as Plotly.NET <see cref="GenericChart"/>s.</summary>
public static class Charts
{
    /// <summary>Width of every chart, in pixels.</summary>
    public const int Width = 720;
    /// <summary>Height of every chart, in pixels.</summary>
    public const int Height = 400;

    /// <summary>One line of y against x per named series; a log y axis on request.</summary>
    public static GenericChart Line(string title, string xTitle, string yTitle, IReadOnlyList<double> x,
        IEnumerable<(string Name, IReadOnlyList<double> Y)> series, bool logY = false)
    {
        var lines = series.Select(s =>
        {
            if (s.Y.Count != x.Count) throw new ArgumentException($"series '{s.Name}' has {s.Y.Count} values but x has {x.Count}");
            return PlotlyChart.Line<double, double, string>(x: x, y: s.Y, Name: s.Name);
        }).ToList();
        if (lines.Count == 0) throw new ArgumentException("a line chart needs at least one series");
        return Finish(PlotlyChart.Combine(lines), title, xTitle, yTitle, logY);
    }

    /// <summary>One bar per category.</summary>
    public static GenericChart Bar(string title, string yTitle, IReadOnlyList<string> categories, IReadOnlyList<double> values) =>
        Bars(title, yTitle, categories, [("", values)]);

    /// <summary>Bars grouped by category, one colour per named series.</summary>
    public static GenericChart Bars(string title, string yTitle, IReadOnlyList<string> categories,
        IEnumerable<(string Name, IReadOnlyList<double> Values)> series)
    {
        var bars = series.Select(s =>
        {
            if (s.Values.Count != categories.Count) throw new ArgumentException($"series '{s.Name}' has {s.Values.Count} values but there are {categories.Count} categories");
            return PlotlyChart.Column<double, string, string>(values: s.Values, Keys: new Optional<IEnumerable<string>>(categories, true),
                Name: s.Name, ShowLegend: s.Name.Length > 0);
        }).ToList();
        if (bars.Count == 0) throw new ArgumentException("a bar chart needs at least one series");
        return Finish(PlotlyChart.Combine(bars), title, "", yTitle, logY: false);
    }

    /// <summary>
    /// A grid of values, rows and columns labelled; a diverging colour scale (for signed values) unless
    /// <paramref name="scale"/> asks for a sequential one (for weights between 0 and 1, such as attention).
    /// </summary>
    public static GenericChart Heatmap(string title, double[][] z, IReadOnlyList<string> columnLabels, IReadOnlyList<string> rowLabels,
        HeatmapScale scale = HeatmapScale.Diverging)
    {
        if (z.Length != rowLabels.Count || z.Any(r => r.Length != columnLabels.Count))
            throw new ArgumentException($"heatmap: z must be {rowLabels.Count} rows of {columnLabels.Count} values");
        var chart = PlotlyChart.Heatmap<double, string, string, string>(zData: z,
            X: new Optional<IEnumerable<string>>(Distinct(columnLabels), true), Y: new Optional<IEnumerable<string>>(Distinct(rowLabels), true),
            ColorScale: scale switch
            {
                HeatmapScale.Diverging => StyleParam.Colorscale.RdBu,
                HeatmapScale.Sequential => StyleParam.Colorscale.Viridis,
            }, ReverseYAxis: true);
        return Finish(chart, title, "", "", logY: false);
    }

    /// <summary>
    /// plotly.js puts equal category labels in one column (a passage has many 'e's), so repeats get zero-width spaces
    /// appended: they look the same and stay separate columns.
    /// </summary>
    private static List<string> Distinct(IReadOnlyList<string> labels)
    {
        var seen = new Dictionary<string, int>();
        return labels.Select(l =>
        {
            int n = seen.GetValueOrDefault(l);
            seen[l] = n + 1;
            return l + new string('\u200b', n);
        }).ToList();
    }

    private static GenericChart Finish(GenericChart chart, string title, string xTitle, string yTitle, bool logY)
    {
        chart = Plotly.NET.Chart.withTitle(title, null).Invoke(chart);
        chart = chart.WithXAxisStyle<double, double, string>(TitleText: xTitle);
        chart = logY
            ? chart.WithYAxisStyle<double, double, string>(TitleText: yTitle, AxisType: StyleParam.AxisType.Log)
            : chart.WithYAxisStyle<double, double, string>(TitleText: yTitle);
        return chart.WithSize(Width, Height);
    }
}
