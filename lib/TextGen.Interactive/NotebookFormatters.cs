// Registers, with the kernel's Formatter, how each of the library's types looks in a notebook: HTML for
// VS Code, Jupyter and the committed outputs, plain text for terminals and logs, and for charts a static
// SVG beside the interactive one. Registration is idempotent: loading the package twice changes nothing.
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;
using TextGen.Generation;
using TextGen.Course;
using TextGen.Tensors;
using TextGen.Training;

namespace TextGen.Interactive;

/// <summary>The kernel formatters for quiz results, tensors, samples, training progress and charts.</summary>
public static class NotebookFormatters
{
    private static int registered;

    /// <summary>MIME type of the static chart picture carried beside the interactive chart.</summary>
    public const string SvgMimeType = "image/svg+xml";

    /// <summary>Registers every formatter once.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1) return;
        Viz.FSharpCoreBinding.Install();
        Both<QuizResult>(QuizCard.Html, q => q.ToString());
        Both<Tensor>(TensorView.Html, t => t.ToString());
        Both<GeneratedText>(SampleView.Html, s => s.ToString());
        Both<ProgressLine>(ProgressView.Html, ProgressView.Text);
        Both<TrainingProgress>(p => ProgressView.Html(new ProgressLine(p, p.ValidationLoss, null)), p => ProgressView.Text(new ProgressLine(p, p.ValidationLoss, null)));
        Both<TrainingReport>(r => ProgressView.Html(new ProgressLine(null, null, r)), r => ProgressView.Text(new ProgressLine(null, null, r)));
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(ChartView.Html(chart)), HtmlFormatter.MimeType);
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(Viz.SvgRenderer.Render(chart)), SvgMimeType);
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(ChartView.Text(chart)), PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(GenericChart), HtmlFormatter.MimeType, SvgMimeType, PlainTextFormatter.MimeType);
    }

    private static void Both<T>(Func<T, string> html, Func<T, string> text)
    {
        Formatter.Register<T>((value, writer) => writer.Write(html(value)), HtmlFormatter.MimeType);
        Formatter.Register<T>((value, writer) => writer.Write(text(value)), PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(T), HtmlFormatter.MimeType, PlainTextFormatter.MimeType);
    }

    /// <summary>HTML-encodes text for element content.</summary>
    internal static string E(string text) => System.Net.WebUtility.HtmlEncode(text);

    /// <summary>The font stack every card uses, so outputs look alike in VS Code, Jupyter and exported HTML.</summary>
    internal const string Font = "font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;font-size:14px;line-height:1.45";
}
