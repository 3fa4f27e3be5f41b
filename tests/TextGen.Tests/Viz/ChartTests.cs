// Charts: the plotly.js figure JSON, the static SVG, and a real drawing in headless Chromium.
using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using TextGen.Viz;
using Xunit;

namespace TextGen.Tests.Viz;

public class ChartTests
{
    private static PlotlyFigure LossChart() => Chart.Line("Loss", "step", "nats", [0, 100, 200, 300],
        [("train", [4.1, 2.2, 1.8, 1.6]), ("validation", [4.1, 2.3, 1.9, 1.75])]);

    [Fact]
    public void Line_chart_has_the_plotly_schema_fields()
    {
        var fig = JsonNode.Parse(LossChart().ToJson())!;
        var data = fig["data"]!.AsArray();
        Assert.Equal(2, data.Count);
        Assert.Equal("scatter", data[0]!["type"]!.GetValue<string>());
        Assert.Equal("lines", data[0]!["mode"]!.GetValue<string>());
        Assert.Equal(4, data[1]!["y"]!.AsArray().Count);
        Assert.Equal("validation", data[1]!["name"]!.GetValue<string>());
        Assert.Equal("Loss", fig["layout"]!["title"]!["text"]!.GetValue<string>());
        Assert.Equal("step", fig["layout"]!["xaxis"]!["title"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void Svg_is_well_formed_with_one_point_per_value_and_one_bar_or_cell_per_value()
    {
        XNamespace svg = "http://www.w3.org/2000/svg";
        var line = XDocument.Parse(LossChart().ToSvg());
        var polylines = line.Descendants(svg + "polyline").ToList();
        Assert.Equal(2, polylines.Count);
        Assert.All(polylines, p => Assert.Equal(4, p.Attribute("points")!.Value.Split(' ').Length));
        var bars = XDocument.Parse(Chart.Bar("bpc", "bits", ["rnn", "gru", "lstm"], [2.4, 2.1, 2.0]).ToSvg());
        Assert.Equal(3, bars.Descendants(svg + "rect").Count(r => (string?)r.Attribute("class") == "bar"));
        var heat = XDocument.Parse(Chart.Heatmap("units", [[1, -1, 0], [0.5, 0, -0.5]], ["a", "b", "c"], ["u1", "u2"]).ToSvg());
        Assert.Equal(6, heat.Descendants(svg + "rect").Count(r => (string?)r.Attribute("class") == "cell"));
        Assert.Throws<ArgumentException>(() => Chart.Line("x", "x", "y", [1, 2], [("a", [1.0])]));
    }

    private static string? FindChromium() => new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    [Fact]
    public async Task Html_draws_the_chart_in_headless_chromium()
    {
        string plotly = Path.Combine(RepoRoot(), "tests", "browser", "node_modules", "plotly.js-dist-min", "plotly.min.js");
        string? chromium = FindChromium();
        if (chromium is null || !File.Exists(plotly))
        {
            // A fresh machine: install them as CI does (the script is idempotent), so `dotnet test` alone suffices.
            var setup = Process.Start(new ProcessStartInfo("bash", [Path.Combine(RepoRoot(), "tests", "setup-browser.sh")])
                { RedirectStandardOutput = true, RedirectStandardError = true })!;
            string setupErr = await setup.StandardError.ReadToEndAsync();
            await setup.WaitForExitAsync();
            chromium = FindChromium();
            Assert.True(chromium is not null && File.Exists(plotly),
                $"the browser test needs Chromium and plotly.js, and tests/setup-browser.sh could not install them (exit {setup.ExitCode}): {setupErr.Trim()}");
        }
        var dir = Directory.CreateTempSubdirectory("textgen-chart-").FullName;
        try
        {
            var page = Path.Combine(dir, "chart.html");
            File.WriteAllText(page, $"<html><head><meta charset=\"utf-8\"></head><body>{LossChart().ToHtml(new Uri(plotly).AbsoluteUri)}</body></html>");
            var psi = new ProcessStartInfo(chromium!) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--allow-file-access-from-files", $"--user-data-dir={Path.Combine(dir, "profile")}",
                         "--virtual-time-budget=10000", "--dump-dom", new Uri(page).AbsoluteUri })
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var dom = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await p.WaitForExitAsync(timeout.Token);
            var html = await dom;
            Assert.Contains("main-svg", html);          // plotly.js drew its SVG
            Assert.Contains("validation", html);        // with the legend of the second trace
        }
        finally { Directory.Delete(dir, true); }
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "TextGen.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("repository root not found");
    }
}
