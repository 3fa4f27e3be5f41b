// A step model that counts the tokens fed through the model it wraps: the cost of a generation strategy in
// network steps, which, unlike a timing, is the same on every machine and every run.
using TextGen.Nn;

namespace TextGen.Generation;

/// <summary>Wraps an <see cref="IStepModel"/> and counts every token fed through it.</summary>
/// <param name="inner">The model that does the work, e.g. a <see cref="StepSession"/>.</param>
public sealed class CountingStepModel(IStepModel inner) : IStepModel
{
    /// <summary>Tokens fed through the wrapped model since it was created or <see cref="Reset"/>.</summary>
    public long TokensFed { get; private set; }

    /// <summary>Calls of <see cref="Feed"/> since it was created or <see cref="Reset"/>.</summary>
    public long Calls { get; private set; }

    /// <inheritdoc />
    public int VocabularySize => inner.VocabularySize;

    /// <inheritdoc />
    public StepState CreateState() => inner.CreateState();

    /// <inheritdoc />
    public void Feed(StepState state, ReadOnlySpan<int> tokens, Span<float> logits)
    {
        inner.Feed(state, tokens, logits);
        TokensFed += tokens.Length;
        Calls++;
    }

    /// <summary>Sets both counts back to zero.</summary>
    public void Reset() => (TokensFed, Calls) = (0, 0);
}
