// A finished generation: the prompt, what the model wrote after it, and the settings it was written
// with. Notebooks show it through the kernel formatter (prompt set apart from the model's text).
namespace TextGen.Generation;

/// <summary>A prompt and the text a model generated after it, with the sampling settings used.</summary>
public sealed record GeneratedText(string Prompt, string Continuation, SamplingOptions Options)
{
    /// <summary>Prompt and continuation together.</summary>
    public string Text => Prompt + Continuation;

    /// <inheritdoc />
    public override string ToString() => Text;
}
