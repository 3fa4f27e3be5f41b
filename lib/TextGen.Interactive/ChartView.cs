// A Plotly.NET chart as notebook HTML that works offline: a div holding the static SVG, and a script that
// draws the interactive chart over it with plotly.js. The first chart of each kernel session carries
// plotly.js itself (Plotly.NET's embedded copy); later charts use the window.Plotly it defined. Nothing is
// fetched from a CDN, unlike Plotly.NET.Interactive's formatter, which hard-codes one.
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive;
using Plotly.NET;

namespace TextGen.Interactive;

internal static class ChartView
{
    private static readonly Lazy<string> PlotlyJs = new(ReadPlotlyJs);
    private static readonly ConditionalWeakTable<object, object> Carried = new();

    public static string Html(GenericChart chart)
    {
        string id = $"textgen-chart-{Guid.NewGuid():N}";
        string figure = ScriptSafe(GenericChart.toJson(chart));
        var sb = new StringBuilder();
        sb.Append($"<div class=\"textgen-chart\" id=\"{id}\">{Viz.SvgRenderer.Render(chart)}</div>\n");
        sb.Append("<script type=\"text/javascript\">\n(function () {\n");
        if (CarryPlotly())
        {
            // define/module/exports shadowed so that plotly.js sets window.Plotly even where require.js is loaded.
            sb.Append("if (!window.Plotly) { (function (define, module, exports) {\n").Append(PlotlyJs.Value).Append("\n}).call(window); }\n");
        }
        sb.Append($"var figure = {figure};\n");
        sb.Append($$"""
var el = document.getElementById("{{id}}");
function draw() { el.innerHTML = ""; window.Plotly.newPlot(el, figure.data, figure.layout, figure.config); }
if (window.Plotly) { draw(); }
else { var tries = 0; var wait = setInterval(function () { if (window.Plotly) { clearInterval(wait); draw(); } else if (++tries > 100) { clearInterval(wait); } }, 100); }
})();
</script>
""");
        return sb.ToString();
    }

    public static string Text(GenericChart chart)
    {
        var title = JsonNode.Parse(GenericChart.toFigureJson(chart))?["layout"]?["title"]?["text"]?.GetValue<string>();
        return $"chart: {title ?? "(untitled)"}";
    }

    /// <summary>True for the first chart of the running kernel (and always outside one).</summary>
    private static bool CarryPlotly()
    {
        if (KernelInvocationContext.Current?.HandlingKernel?.RootKernel is not { } root) return true;
        lock (Carried)
        {
            if (Carried.TryGetValue(root, out _)) return false;
            Carried.Add(root, root);
            return true;
        }
    }

    private static string ReadPlotlyJs()
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
        return ScriptSafe(reader.ReadToEnd());
    }

    /// <summary>Text placed inside a script element must not contain "&lt;/" (the parser would end the element there).</summary>
    private static string ScriptSafe(string js) => js.Replace("</", "<\\/", StringComparison.Ordinal);
}
