// Generation on the TorchSharp engine: a snapshot of the TorchSharp model fed a sequence's tokens from the state it
// carries, so TextGen's generators (TextGenerator, BeamSearch) drive it as they drive StepSession.
using TextGen.Nn;
using TorchSharp;

namespace TextGen.TorchSharp;

/// <summary>
/// An <see cref="IStepModel"/> over a copy of a <see cref="TorchCharModel"/>'s weights taken at creation, in evaluation mode
/// on the CPU; its <see cref="StepState"/> holds h (and c for an LSTM) layer after layer, as TextGen's own.
/// </summary>
public sealed class TorchStepModel : IStepModel, IDisposable
{
    private readonly TorchCharModel model;
    private readonly int layers, hidden;
    private readonly bool hasCell;

    /// <summary>Copies the weights of <paramref name="source"/>; make a new step model after further training.</summary>
    public TorchStepModel(TorchCharModel source)
    {
        var config = source.Config;
        model = new TorchCharModel(config);
        model.LoadFrom(source.Export());
        model.eval();
        layers = config.NumLayers;
        hidden = config.HiddenSize;
        hasCell = config.HasCellState;
        VocabularySize = config.VocabularySize;
    }

    /// <inheritdoc />
    public int VocabularySize { get; }

    /// <inheritdoc />
    public StepState CreateState() => new(new float[layers * hidden], hasCell ? new float[layers * hidden] : []);

    /// <inheritdoc />
    public void Feed(StepState state, ReadOnlySpan<int> tokens, Span<float> logits)
    {
        if (tokens.IsEmpty) throw new ArgumentException("feed: no tokens to feed");
        if (logits.Length < VocabularySize) throw new ArgumentException($"feed: the logits buffer has {logits.Length} slots, the vocabulary {VocabularySize}");
        foreach (int token in tokens)
            if ((uint)token >= (uint)VocabularySize) throw new ArgumentOutOfRangeException(nameof(tokens), $"token id {token} is outside the vocabulary of size {VocabularySize}");
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        // The recurrence over the fed tokens is the same whether they come one call at a time or as one sequence.
        var h0 = torch.tensor(state.H, [layers, 1, hidden]);                                       // (layers, 1, hidden)
        var c0 = hasCell ? torch.tensor(state.C, [layers, 1, hidden]) : null;
        var forward = model.Forward(TorchCharModel.Tokens(tokens, 1, tokens.Length), h0, c0);     // logits (1, T, V)
        forward.H.contiguous().data<float>().CopyTo(state.H);
        if (forward.C is { } c) c.contiguous().data<float>().CopyTo(state.C);
        forward.Logits[0, -1].contiguous().data<float>().CopyTo(logits[..VocabularySize]);
        state.Position += tokens.Length;
    }

    /// <summary>Releases the snapshot's native tensors.</summary>
    public void Dispose() => model.Dispose();
}
