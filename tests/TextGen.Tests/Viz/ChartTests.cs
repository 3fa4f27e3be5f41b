// Charts: Plotly.NET figures with the course's titles and size, their static SVG (one point per value,
// grouped bars side by side, one cell per value), and the notebook HTML drawn by plotly.js in headless
// Chromium with every network request refused.
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Plotly.NET;
using TextGen.Interactive;
using TextGen.Tests.Browser;
using TextGen.Viz;
using Xunit;

namespace TextGen.Tests.Viz;

public class ChartTests(HeadlessBrowser browser)
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static GenericChart LossChart() => Charts.Line("Loss", "step", "nats", [0, 100, 200, 300],
        [("train", [4.1, 2.2, 1.8, 1.6]), ("validation", [4.1, 2.3, 1.9, 1.75])]);

    [Fact]
    public void Line_chart_is_a_plotly_figure_with_titles_size_and_one_trace_per_series()
    {
        var fig = JsonNode.Parse(GenericChart.toFigureJson(LossChart()))!;
        var data = fig["data"]!.AsArray();
        Assert.Equal(2, data.Count);
        Assert.Equal("scatter", data[0]!["type"]!.GetValue<string>());
        Assert.Equal("lines", data[0]!["mode"]!.GetValue<string>());
        Assert.Equal([4.1, 2.3, 1.9, 1.75], data[1]!["y"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal("validation", data[1]!["name"]!.GetValue<string>());
        Assert.Equal("Loss", fig["layout"]!["title"]!["text"]!.GetValue<string>());
        Assert.Equal("step", fig["layout"]!["xaxis"]!["title"]!["text"]!.GetValue<string>());
        Assert.Equal(Charts.Width, fig["layout"]!["width"]!.GetValue<int>());
        var log = JsonNode.Parse(GenericChart.toFigureJson(Charts.Line("g", "d", "n", [1, 2], [("a", [1.0, 0.1])], logY: true)))!;
        Assert.Equal("log", log["layout"]!["yaxis"]!["type"]!.GetValue<string>());
        Assert.Throws<ArgumentException>(() => Charts.Line("x", "x", "y", [1, 2], [("a", [1.0])]));
    }

    [Fact]
    public void Svg_has_one_point_per_value_and_breaks_a_line_at_a_missing_value()
    {
        var line = XDocument.Parse(SvgRenderer.Render(LossChart()));
        var polylines = line.Descendants(Svg + "polyline").ToList();
        Assert.Equal(2, polylines.Count);
        Assert.All(polylines, p => Assert.Equal(4, p.Attribute("points")!.Value.Split(' ').Length));
        Assert.Equal(["Loss"], line.Descendants(Svg + "text").Where(t => (string?)t.Attribute("class") == "title").Select(t => t.Value));
        var gap = XDocument.Parse(SvgRenderer.Render(Charts.Line("g", "x", "y", [0, 1, 2, 3, 4], [("a", [1.0, 2.0, double.NaN, 3.0, 4.0])])));
        Assert.Equal([2, 2], gap.Descendants(Svg + "polyline").Select(p => p.Attribute("points")!.Value.Split(' ').Length));
    }

    [Fact]
    public void Grouped_bars_sit_side_by_side_without_overlapping()
    {
        var doc = XDocument.Parse(SvgRenderer.Render(Charts.Bars("bpc", "bits", ["rnn", "gru", "lstm"],
            [("600 steps", [2.4, 2.3, 2.5]), ("3000 steps", [1.9, 1.8, 1.7])])));
        var bars = doc.Descendants(Svg + "rect").Where(r => (string?)r.Attribute("class") == "bar")
            .Select(r => (X: (double)r.Attribute("x")!, W: (double)r.Attribute("width")!, H: (double)r.Attribute("height")!)).ToList();
        Assert.Equal(6, bars.Count);
        var ordered = bars.OrderBy(b => b.X).ToList();
        for (int i = 1; i < ordered.Count; i++) Assert.True(ordered[i].X >= ordered[i - 1].X + ordered[i - 1].W - 1e-6, "bars overlap");
        // Heights follow the values: 2.4 is drawn taller than 1.9 on the same axis.
        Assert.True(bars[0].H > bars[3].H);
        Assert.Equal(2, doc.Descendants(Svg + "g").Count(g => (string?)g.Attribute("class") == "legend-item"));
    }

    [Fact]
    public void Heatmap_has_one_cell_per_value_coloured_from_blue_to_red()
    {
        var doc = XDocument.Parse(SvgRenderer.Render(Charts.Heatmap("units", [[1, -1, 0], [0.5, 0, -0.5]], ["a", "b", "c"], ["u1", "u2"])));
        var cells = doc.Descendants(Svg + "rect").Where(r => (string?)r.Attribute("class") == "cell").Select(r => (string)r.Attribute("fill")!).ToList();
        Assert.Equal(6, cells.Count);
        Assert.Equal("rgb(178,10,28)", cells[0]);   // the largest value: the red end of plotly's RdBu
        Assert.Equal("rgb(5,10,172)", cells[1]);    // the smallest: the blue end
    }

    [Fact]
    public void Heatmap_on_the_sequential_scale_runs_from_dark_purple_to_yellow_and_tells_plotly_viridis()
    {
        var chart = Charts.Heatmap("attention", [[1, 0, 0], [0.25, 0.75, 0]], ["a", "b", "c"], ["a", "b"], HeatmapScale.Sequential);
        var doc = XDocument.Parse(SvgRenderer.Render(chart));
        var cells = doc.Descendants(Svg + "rect").Where(r => (string?)r.Attribute("class") == "cell").Select(r => (string)r.Attribute("fill")!).ToList();
        Assert.Equal("rgb(253,231,37)", cells[0]);  // the largest weight: Viridis's yellow end
        Assert.Equal("rgb(68,1,84)", cells[1]);     // a weight of 0: its dark purple end, not the grey middle of RdBu
        Assert.Equal("rgb(59,82,139)", cells[3]);   // a quarter of the way up: Viridis's stop at 0.25
        Assert.Contains("\"Viridis\"", GenericChart.toFigureJson(chart));
    }

    [Fact]
    public async Task Notebook_chart_html_draws_in_headless_chromium_with_the_network_blocked()
    {
        // Outside a kernel there is no KernelInvocationContext, so the chart carries plotly.js as a session's first does.
        Assert.Null(Microsoft.DotNet.Interactive.KernelInvocationContext.Current);
        var dir = Directory.CreateTempSubdirectory("textgen-chart-").FullName;
        try
        {
            var file = Path.Combine(dir, "chart.html");
            File.WriteAllText(file, $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>{ChartView.Html(LossChart())}</body></html>");
            await using var page = await browser.OpenAsync(new Uri(file));
            await page.Page.WaitForFunctionAsync("() => document.querySelector('div.textgen-chart .main-svg') !== null", null, new() { Timeout = 20_000 });
            var legend = await page.Page.Locator("div.textgen-chart .legendtext").AllTextContentsAsync();
            Assert.Equal(["train", "validation"], legend);
            Assert.Empty(page.ScriptErrors);
            Assert.Empty(page.Refused);   // the chart asks for nothing over the network, not even something the wall refuses
        }
        finally { Directory.Delete(dir, true); }
    }
}
