// A chart as a plotly.js figure (data traces + layout, the JSON plotly.js draws), rendered as HTML
// that loads plotly.js in a notebook, plus a static SVG drawn here for viewers that run no scripts.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TextGen.Viz;

/// <summary>Kind of trace.</summary>
public enum TraceKind
{
    /// <summary>Connected points.</summary>
    Line,
    /// <summary>Vertical bars.</summary>
    Bar,
    /// <summary>A grid of colored cells.</summary>
    Heatmap,
}

/// <summary>One data series: x and y values (line, bar) or a z grid (heatmap).</summary>
public sealed record Trace(TraceKind Kind, string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y,
    IReadOnlyList<string>? Categories = null, double[][]? Z = null, IReadOnlyList<string>? ZxLabels = null, IReadOnlyList<string>? ZyLabels = null);

/// <summary>A figure: traces, title, axis titles and a log-scale switch for y.</summary>
[TypeFormatterSource(typeof(FigureFormatterSource), PreferredMimeTypes = ["text/html"])]
public sealed class PlotlyFigure
{
    private static int counter;

    /// <summary>Creates a figure.</summary>
    public PlotlyFigure(string title, string xTitle, string yTitle, IEnumerable<Trace> traces, bool logY = false)
    {
        Title = title; XTitle = xTitle; YTitle = yTitle; LogY = logY;
        Traces = traces.ToList();
        if (Traces.Count == 0) throw new ArgumentException("a figure needs at least one trace");
    }

    /// <summary>Figure title.</summary>
    public string Title { get; }
    /// <summary>x-axis title.</summary>
    public string XTitle { get; }
    /// <summary>y-axis title.</summary>
    public string YTitle { get; }
    /// <summary>Whether the y axis is logarithmic.</summary>
    public bool LogY { get; }
    /// <summary>The data series.</summary>
    public IReadOnlyList<Trace> Traces { get; }

    /// <summary>The plotly.js figure: {"data": [...], "layout": {...}}.</summary>
    public JsonObject ToPlotly()
    {
        var data = new JsonArray();
        foreach (var t in Traces)
        {
            var o = new JsonObject { ["name"] = t.Name };
            switch (t.Kind)
            {
                case TraceKind.Line:
                    o["type"] = "scatter"; o["mode"] = "lines";
                    o["x"] = Array(t.X); o["y"] = Array(t.Y);
                    break;
                case TraceKind.Bar:
                    o["type"] = "bar";
                    o["x"] = t.Categories is { } c ? new JsonArray(c.Select(s => (JsonNode?)s).ToArray()) : Array(t.X);
                    o["y"] = Array(t.Y);
                    break;
                default:
                    o["type"] = "heatmap"; o["colorscale"] = "RdBu";
                    o["z"] = new JsonArray(t.Z!.Select(row => (JsonNode?)Array(row)).ToArray());
                    if (t.ZxLabels is { } xl) o["x"] = new JsonArray(xl.Select(s => (JsonNode?)s).ToArray());
                    if (t.ZyLabels is { } yl) o["y"] = new JsonArray(yl.Select(s => (JsonNode?)s).ToArray());
                    break;
            }
            data.Add(o);
        }
        var layout = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = Title },
            ["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = XTitle } },
            ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = YTitle }, ["type"] = LogY ? "log" : "linear" },
            ["width"] = 720, ["height"] = 400,
        };
        return new JsonObject { ["data"] = data, ["layout"] = layout };
    }

    private static JsonArray Array(IEnumerable<double> values) =>
        new(values.Select(v => (JsonNode?)(double.IsFinite(v) ? JsonValue.Create(v) : null)).ToArray());

    /// <summary>The figure JSON as text.</summary>
    public string ToJson() => ToPlotly().ToJsonString();

    /// <summary>
    /// HTML for a notebook: a div and a script that draws it with plotly.js (through require.js when the page has it, as
    /// VS Code's notebook view does, else by adding a script tag), and the static SVG beside it for viewers without scripts.
    /// </summary>
    public string ToHtml() => ToHtml(DefaultPlotlyUrl);

    /// <summary>Where the HTML loads plotly.js from when no URL is given.</summary>
    public const string DefaultPlotlyUrl = "https://cdn.plot.ly/plotly-2.35.2.min.js";

    /// <summary>The HTML with plotly.js loaded from <paramref name="plotlyUrl"/>.</summary>
    public string ToHtml(string plotlyUrl)
    {
        string id = $"textgen-plot-{Environment.ProcessId}-{Interlocked.Increment(ref counter)}";
        string fig = ToJson();
        string url = JsonSerializer.Serialize(plotlyUrl);
        return $$"""
<div id="{{id}}"><noscript>{{ToSvg()}}</noscript></div>
<script type="text/javascript">
(function () {
  var fig = {{fig}};
  function draw(Plotly) { var el = document.getElementById("{{id}}"); el.innerHTML = ""; Plotly.newPlot(el, fig.data, fig.layout); }
  if (typeof require === "function" && typeof require.config === "function") {
    require.config({ paths: { plotly: {{url}}.replace(/\.js$/, "") } });
    require(["plotly"], draw);
  } else if (window.Plotly) { draw(window.Plotly); }
  else { var s = document.createElement("script"); s.src = {{url}}; s.onload = function () { draw(window.Plotly); }; document.head.appendChild(s); }
})();
</script>
""";
    }

    /// <summary>A static SVG picture of the figure (axes, ticks, lines, bars or cells, title, legend).</summary>
    public string ToSvg() => SvgRenderer.Render(this);

    /// <inheritdoc />
    public override string ToString() => $"{Title} ({string.Join(", ", Traces.Select(t => $"{t.Kind} '{t.Name}'"))})";
}
