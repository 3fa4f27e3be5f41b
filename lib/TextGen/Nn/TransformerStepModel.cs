// Generation from a CharTransformerModel one token at a time. A transformer carries no hidden state: its "state" is
// the text so far, cropped to the last block-size tokens, and every step reads that whole window again.
using TextGen.Tensors;

namespace TextGen.Nn;

/// <summary>
/// An <see cref="IStepModel"/> over a <see cref="CharTransformerModel"/>: the state keeps the last block-size tokens (as floats
/// in <see cref="StepState.H"/>, oldest first) and each feed runs the model over them; it reads the live weights.
/// </summary>
public sealed class TransformerStepModel : IStepModel
{
    private readonly CharTransformerModel model;

    /// <summary>Wraps a model; the text generators, samplers and beam search then drive it as any other.</summary>
    public TransformerStepModel(CharTransformerModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        this.model = model;
    }

    /// <inheritdoc />
    public int VocabularySize => model.VocabularySize;

    /// <inheritdoc />
    public StepState CreateState() => new(new float[model.Config.BlockSize], []);

    /// <inheritdoc />
    public void Feed(StepState state, ReadOnlySpan<int> tokens, Span<float> logits)
    {
        if (tokens.IsEmpty) throw new ArgumentException("transformer step: feed at least one token");
        if (logits.Length != VocabularySize)
            throw new ArgumentException($"transformer step: the logits buffer has {logits.Length} values but the vocabulary has {VocabularySize}");
        var window = state.H;
        int size = window.Length;
        foreach (var t in tokens)
        {
            if ((uint)t >= (uint)VocabularySize)
                throw new ArgumentOutOfRangeException(nameof(tokens), $"transformer step: token id {t} is outside the vocabulary of size {VocabularySize}");
            // Slide the window once it is full: positions are absolute, so the oldest token falls out of the context.
            if (state.Position >= size) Array.Copy(window, 1, window, 0, size - 1);
            window[Math.Min(state.Position, size - 1)] = t;
            state.Position++;
        }
        int have = Math.Min(state.Position, size);
        var context = new int[have];
        for (int i = 0; i < have; i++) context[i] = (int)window[i];
        using var _ = Autograd.NoGrad();
        var all = model.Forward(context, 1, have);                                 // (1, have, V)
        all.Span.Slice((have - 1) * VocabularySize, VocabularySize).CopyTo(logits); // the logits after the last token
    }
}
