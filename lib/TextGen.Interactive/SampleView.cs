// Generated text: the settings it was written with, then the prompt (bold) and the model's text,
// line breaks kept, in a monospace block.
using TextGen.Generation;
using static TextGen.Interactive.NotebookFormatters;

namespace TextGen.Interactive;

internal static class SampleView
{
    public static string Html(GeneratedText sample) =>
        $"<div class=\"textgen-sample\" style=\"{Font}\"><div style=\"color:#57606a\">{E(sample.Options.Describe())}</div>" +
        $"<pre style=\"white-space:pre-wrap;margin:4px 0\"><b>{E(sample.Prompt)}</b>{E(sample.Continuation)}</pre></div>";
}
