// Batch-1 inference one token at a time, for generation: no tape, no allocation per step.
// Layer 0's input projection is a table lookup (one row per token, built once), the recurrent
// products are matrix-vector kernels, and the logits land in a caller's buffer.
using TextGen.Nn.Recurrent;
using TextGen.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace TextGen.Nn;

/// <summary>The hidden state of one sequence during generation; cheap to clone for beam search.</summary>
public sealed class StepState
{
    /// <summary>Wraps state buffers (layers x hidden each; <paramref name="c"/> empty without a cell).</summary>
    public StepState(float[] h, float[] c) { H = h; C = c; }

    /// <summary>Hidden states of all layers, layer after layer (layers x hidden).</summary>
    public float[] H { get; }

    /// <summary>Cell states (LSTM), same layout; empty otherwise.</summary>
    public float[] C { get; }

    /// <summary>Tokens fed so far.</summary>
    public int Position { get; internal set; }

    /// <summary>An independent copy.</summary>
    public StepState Clone() => new((float[])H.Clone(), (float[])C.Clone()) { Position = Position };
}

/// <summary>Sees each layer's step: its index, the gate activations (LSTM i, f, g, o; GRU r, z, n, h_n; empty for an RNN) and the new hidden state.</summary>
public delegate void StepObserver(int layer, ReadOnlySpan<float> gates, ReadOnlySpan<float> hidden);

/// <summary>A model that gives next-token logits one step at a time, carrying its state: what generation needs.</summary>
public interface IStepModel
{
    /// <summary>Vocabulary size (length of the logits).</summary>
    int VocabularySize { get; }

    /// <summary>A fresh state for one sequence.</summary>
    StepState CreateState();

    /// <summary>Feeds tokens in order and writes the logits that follow the last one.</summary>
    void Feed(StepState state, ReadOnlySpan<int> tokens, Span<float> logits);
}

/// <summary>
/// Runs a <see cref="CharRnnModel"/> token by token for one sequence. It snapshots the weights' derived tables at
/// creation: make a new session after further training.
/// </summary>
public sealed class StepSession : IStepModel
{
    private readonly CharRnnModel model;
    private readonly CellKernel kernel;
    private readonly int hidden, gh, layers, vocab;
    private readonly float[] inputTable;   // (V, G*H): W_ih0 x + b_ih0 for each token's input vector
    private readonly float[] xg, hg, hNew, cNew, saved;

    /// <summary>Prepares the per-token table and scratch buffers.</summary>
    public StepSession(CharRnnModel model)
    {
        this.model = model;
        kernel = model.Rnn.Kernel;
        hidden = model.Config.HiddenSize;
        layers = model.Config.NumLayers;
        vocab = model.VocabularySize;
        gh = kernel.Gates * hidden;
        xg = new float[gh]; hg = new float[gh]; hNew = new float[hidden]; cNew = new float[hidden];
        saved = new float[Math.Max(1, kernel.SavedWidth(hidden))];
        inputTable = new float[vocab * gh];
        var (wih, _, bih, _) = model.Rnn.LayerWeights(0);
        using var _g = Autograd.NoGrad();
        var inputs = model.Input.Forward(Enumerable.Range(0, vocab).ToArray(), vocab); // (V, E or V)
        Blas.Sgemm(false, true, vocab, gh, inputs.Size(1), inputs.Data, wih.Data, inputTable);
        for (int v = 0; v < vocab; v++) TensorPrimitives.Add(inputTable.AsSpan(v * gh, gh), bih.Data, inputTable.AsSpan(v * gh, gh));
    }

    /// <summary>Vocabulary size.</summary>
    public int VocabularySize => vocab;

    /// <summary>Optional observer of every layer's gates and hidden state, for looking inside the model.</summary>
    public StepObserver? Observer { get; set; }

    /// <summary>A zero state.</summary>
    public StepState CreateState() => new(new float[layers * hidden], kernel.HasCell ? new float[layers * hidden] : []);

    /// <summary>Feeds tokens in order and writes the logits that follow the last one into <paramref name="logits"/> (length V).</summary>
    public void Feed(StepState state, ReadOnlySpan<int> tokens, Span<float> logits)
    {
        if (tokens.IsEmpty) throw new ArgumentException("feed: no tokens to feed");
        if (logits.Length < vocab) throw new ArgumentException($"feed: the logits buffer has {logits.Length} slots, the vocabulary {vocab}");
        foreach (var token in tokens)
        {
            if ((uint)token >= (uint)vocab) throw new ArgumentOutOfRangeException(nameof(tokens), $"token id {token} is outside the vocabulary of size {vocab}");
            Step(state, token);
        }
        var dec = model.Decoder;
        MatrixVector.Multiply(dec.Weight.Data, state.H.AsSpan((layers - 1) * hidden, hidden), logits[..vocab]);
        if (dec.Bias is not null) TensorPrimitives.Add(logits[..vocab], dec.Bias.Data, logits[..vocab]);
    }

    private void Step(StepState state, int token)
    {
        for (int l = 0; l < layers; l++)
        {
            var (wih, whh, bih, bhh) = model.Rnn.LayerWeights(l);
            if (l == 0) inputTable.AsSpan(token * gh, gh).CopyTo(xg);
            else
            {
                MatrixVector.Multiply(wih.Data, state.H.AsSpan((l - 1) * hidden, hidden), xg);
                TensorPrimitives.Add(xg, bih.Data, xg);
            }
            var h = state.H.AsSpan(l * hidden, hidden);
            MatrixVector.Multiply(whh.Data, h, hg);
            TensorPrimitives.Add(hg, bhh.Data, hg);
            var c = kernel.HasCell ? state.C.AsSpan(l * hidden, hidden) : Span<float>.Empty;
            kernel.ForwardRow(hidden, xg, hg, [], h, c, hNew, cNew, saved);
            hNew.CopyTo(h);
            if (kernel.HasCell) cNew.CopyTo(c);
            Observer?.Invoke(l, kernel.SavedWidth(hidden) > 0 ? saved : ReadOnlySpan<float>.Empty, h);
        }
        state.Position++;
    }
}
