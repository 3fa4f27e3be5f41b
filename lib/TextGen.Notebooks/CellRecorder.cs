// Turns the kernel's events for one cell into that cell's notebook outputs, the way the kernel's Jupyter
// front end sends them: stdout and stderr streams (diagnostics and ErrorProduced go to stderr), displayed
// values, the cell's return value, an error on failure, and in-place updates of a display by its id.
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace TextGen.Notebooks;

/// <remarks>Echo writers must be the process's own, taken before the kernel runs: while a cell runs, Console.Out and Console.Error
/// are the kernel's capturing writers, and echoing into them would feed the events back in.</remarks>
internal sealed class CellRecorder(TextWriter? echo, TextWriter? echoError, bool rewriteLines)
{
    private readonly Dictionary<string, DisplayElement> byId = [];
    private readonly Dictionary<string, string> pendingUpdates = [];
    private bool echoOpenLine;

    public List<InteractiveDocumentOutputElement> Outputs { get; } = [];

    /// <summary>The failure message when the cell failed.</summary>
    public string? Failure { get; private set; }

    public void On(KernelEvent e)
    {
        switch (e)
        {
            case StandardOutputValueProduced o: Stream("stdout", PlainText(o)); break;
            case StandardErrorValueProduced o: Stream("stderr", PlainText(o)); break;
            case ErrorProduced o: Stream("stderr", PlainText(o)); break;
            case DiagnosticsProduced d when d.FormattedDiagnostics.Count > 0:
                Stream("stderr", "\n" + string.Join("\n\n", d.FormattedDiagnostics.Select(v => v.Value)) + "\n\n");
                break;
            case DisplayedValueUpdated u when u.ValueId is { } id && byId.TryGetValue(id, out var shown):
                shown.Data.Clear();
                foreach (var (mime, value) in Data(u)) shown.Data[mime] = value;
                Echo(u, update: true);
                break;
            case DisplayedValueProduced d:
                var element = new DisplayElement(Data(d));
                if (d.ValueId is { } valueId) byId[valueId] = element;
                Outputs.Add(element);
                Echo(d, update: false);
                break;
            case ReturnValueProduced r when r.Value is not DisplayedValue:
                var result = new ReturnValueElement();
                foreach (var (mime, value) in Data(r)) result.Data[mime] = value;
                Outputs.Add(result);
                Echo(r, update: false);
                break;
            case CommandFailed f when Failure is null:
                Failure = f.Exception is { } ex and not Microsoft.DotNet.Interactive.CodeSubmissionCompilationErrorException ? ex.ToString() : f.Message;
                var trace = f.Exception?.StackTrace?.Split('\n', StringSplitOptions.RemoveEmptyEntries) ?? [];
                Outputs.Add(new ErrorElement(f.Message, "Error", [f.Exception?.ToString() ?? f.Message, .. trace]));
                EndLine();
                echo?.WriteLine($"error: {f.Message}");
                break;
        }
    }

    private void Stream(string name, string text)
    {
        if (Outputs.Count > 0 && Outputs[^1] is TextElement last && last.Name == name)
            Outputs[^1] = new TextElement(last.Text + text, name);
        else Outputs.Add(new TextElement(text, name));
        EndLine();
        (name == "stderr" ? echoError : echo)?.Write(text);
    }

    private static string PlainText(DisplayEvent e) =>
        e.FormattedValues.FirstOrDefault(v => v.MimeType == PlainTextFormatter.MimeType)?.Value ?? e.Value?.ToString() ?? "";

    private static Dictionary<string, object> Data(DisplayEvent e) => e.FormattedValues.ToDictionary(v => v.MimeType, v => (object)v.Value);

    /// <summary>
    /// Shows a display's text in the terminal. On a terminal an update of a one-line display rewrites that line; in a
    /// log, where that would leave control codes, the last state of each updated display is printed when the cell ends.
    /// </summary>
    private void Echo(DisplayEvent e, bool update)
    {
        if (echo is null) return;
        var text = e.FormattedValues.FirstOrDefault(v => v.MimeType == PlainTextFormatter.MimeType)?.Value;
        if (text is null) return;
        bool oneLine = !text.Contains('\n');
        if (update && !(rewriteLines && oneLine && echoOpenLine)) { pendingUpdates[e.ValueId!] = text; return; }
        if (update) { echo.Write("\r\u001b[2K" + text); return; }
        EndLine();
        if (oneLine && rewriteLines) { echo.Write(text); echoOpenLine = true; }
        else echo.WriteLine(text);
    }

    private void EndLine()
    {
        if (!echoOpenLine) return;
        echo?.WriteLine();
        echoOpenLine = false;
    }

    public void Finish()
    {
        EndLine();
        foreach (var text in pendingUpdates.Values) echo?.WriteLine(text);
        pendingUpdates.Clear();
    }
}
