// Building figures in one call: line, bar and heatmap charts, and a live loss chart that training
// appends to.
namespace TextGen.Viz;

/// <summary>Shortcuts that build <see cref="PlotlyFigure"/>s.</summary>
public static class Chart
{
    /// <summary>Lines of y against x, one per named series.</summary>
    public static PlotlyFigure Line(string title, string xTitle, string yTitle, IReadOnlyList<double> x,
        IEnumerable<(string Name, IReadOnlyList<double> Y)> series, bool logY = false) =>
        new(title, xTitle, yTitle, series.Select(s =>
        {
            if (s.Y.Count != x.Count) throw new ArgumentException($"series '{s.Name}' has {s.Y.Count} values but x has {x.Count}");
            return new Trace(TraceKind.Line, s.Name, x, s.Y);
        }), logY);

    /// <summary>One bar per category.</summary>
    public static PlotlyFigure Bar(string title, string yTitle, IReadOnlyList<string> categories, IReadOnlyList<double> values, string name = "")
    {
        if (categories.Count != values.Count) throw new ArgumentException($"{categories.Count} categories but {values.Count} values");
        return new(title, "", yTitle, [new Trace(TraceKind.Bar, name, Enumerable.Range(0, values.Count).Select(i => (double)i).ToList(), values, categories)]);
    }

    /// <summary>A grid of values, rows labelled by <paramref name="rowLabels"/>, columns by <paramref name="columnLabels"/>.</summary>
    public static PlotlyFigure Heatmap(string title, double[][] z, IReadOnlyList<string> columnLabels, IReadOnlyList<string> rowLabels)
    {
        if (z.Length != rowLabels.Count || z.Any(r => r.Length != columnLabels.Count))
            throw new ArgumentException($"heatmap: z must be {rowLabels.Count} rows of {columnLabels.Count} values");
        return new(title, "", "", [new Trace(TraceKind.Heatmap, title, [], [], null, z, columnLabels, rowLabels)]);
    }
}
