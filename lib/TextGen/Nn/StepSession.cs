// Batch-1 inference one token at a time, for generation: no tape, no allocation per step.
// Layer 0's input projection is a table lookup (one row per token, built once), the other products run on
// weights packed for batch 1 (PackedMatrix), a large layer's step is split by hidden units between two cores
// (PairedWork), and the logits land in a caller's buffer.
using TextGen.Nn.Recurrent;
using TextGen.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using TextGen.Tensors.Kernels;

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
public sealed unsafe class StepSession : IStepModel
{
    /// <summary>Layers with at least this many recurrent weights (512 KiB) split each step between two cores, whose caches then hold half each.</summary>
    private const int PairedWeights = 1 << 16;

    private readonly CellKernel kernel;
    private readonly int hidden, gh, layers, vocab, split;
    private readonly bool paired;
    private readonly float[] inputTable;   // (V, G*H): W_ih0 x + b_ih0 (+ the foldable part of b_hh0) for each token's input vector
    private readonly PackedMatrix[] wih, whh;
    private readonly PackedMatrix decoder;
    private readonly float[][] xBias;      // per layer above 0: b_ih + the foldable part of b_hh
    private readonly float[][] hBias;      // per layer: b_hh where the cell needs it apart (GRU's b_hn), else empty
    private readonly float[]? decoderBias;
    private readonly float[] xg, hg, hNew, cNew, saved;
    private readonly LayerStep job;

    /// <summary>Prepares the per-token table, the packed weights and scratch buffers.</summary>
    public StepSession(CharRnnModel model)
    {
        kernel = model.Rnn.Kernel;
        hidden = model.Config.HiddenSize;
        layers = model.Config.NumLayers;
        vocab = model.VocabularySize;
        gh = kernel.Gates * hidden;
        xg = new float[gh]; hg = new float[gh]; hNew = new float[hidden]; cNew = new float[hidden];
        saved = new float[Math.Max(1, kernel.SavedWidth(hidden))];
        int lanes = Lanes.Width, fold = kernel.FoldableHiddenBias(hidden);
        // Each of the two threads owns a range of hidden units and the rows of every gate for them.
        split = hidden / 2 / lanes * lanes;
        paired = split > 0 && (long)gh * hidden >= PairedWeights;
        if (!paired) split = hidden;
        var gateBlocks = Enumerable.Range(0, kernel.Gates).SelectMany(g => PackedMatrix.Chunks(g * hidden, split, lanes))
            .Concat(Enumerable.Range(0, kernel.Gates).SelectMany(g => PackedMatrix.Chunks(g * hidden + split, hidden - split, lanes))).ToArray();
        wih = new PackedMatrix[layers];
        whh = new PackedMatrix[layers];
        xBias = new float[layers][];
        hBias = new float[layers][];
        using var _g = Autograd.NoGrad();
        for (int l = 0; l < layers; l++)
        {
            var (wi, wh, bi, bh) = model.Rnn.LayerWeights(l);
            var folded = bi.Data.AsSpan().ToArray();
            TensorPrimitives.Add(folded.AsSpan(0, fold), bh.Data.AsSpan(0, fold), folded.AsSpan(0, fold));
            xBias[l] = folded;
            hBias[l] = fold < gh ? bh.Data.AsSpan().ToArray() : [];
            whh[l] = new PackedMatrix(wh.Data, hidden, gateBlocks);
            if (l > 0) wih[l] = new PackedMatrix(wi.Data, hidden, gateBlocks);
        }
        inputTable = new float[vocab * gh];
        var (wih0, _, _, _) = model.Rnn.LayerWeights(0);
        var inputs = model.Input.Forward(Enumerable.Range(0, vocab).ToArray(), vocab); // (V, E or V)
        Blas.Sgemm(false, true, vocab, gh, inputs.Size(1), inputs.Data, wih0.Data, inputTable);
        for (int v = 0; v < vocab; v++) TensorPrimitives.Add(inputTable.AsSpan(v * gh, gh), xBias[0], inputTable.AsSpan(v * gh, gh));
        var dec = model.Decoder;
        decoder = new PackedMatrix(dec.Weight.Data, hidden, PackedMatrix.Chunks(0, vocab, lanes));
        decoderBias = dec.Bias?.Data.AsSpan().ToArray();
        job = new LayerStep(this, gateBlocks.Count(b => b.Row % hidden < split));
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
        if (state.H.Length != layers * hidden || state.C.Length != (kernel.HasCell ? layers * hidden : 0))
            throw new ArgumentException($"feed: the state was made for another model shape; make it with this session's CreateState");
        foreach (var token in tokens)
        {
            if ((uint)token >= (uint)vocab) throw new ArgumentOutOfRangeException(nameof(tokens), $"token id {token} is outside the vocabulary of size {vocab}");
            Step(state, token);
        }
        fixed (float* h = state.H, y = logits, b = decoderBias)
            decoder.Multiply(h + (layers - 1) * hidden, y, b, 0, decoder.BlockCount);
    }

    private void Step(StepState state, int token)
    {
        job.State = state;
        job.Token = token;
        for (int l = 0; l < layers; l++)
        {
            job.Layer = l;
            if (paired) PairedWork.Run(job);
            else job.Run(0);
            var h = state.H.AsSpan(l * hidden, hidden);
            hNew.CopyTo(h);
            if (kernel.HasCell) cNew.CopyTo(state.C.AsSpan(l * hidden, hidden));
            Observer?.Invoke(l, kernel.SavedWidth(hidden) > 0 ? saved : ReadOnlySpan<float>.Empty, h);
        }
        job.State = null;
        state.Position++;
    }

    /// <summary>One layer's step, for the hidden units of one part: its rows of the products, then its units of the cell.</summary>
    private sealed class LayerStep(StepSession s, int firstPartBlocks) : IPairedJob
    {
        public StepState? State;
        public int Token, Layer;

        public void Run(int part)
        {
            int l = Layer, b0 = part == 0 ? 0 : firstPartBlocks, b1 = part == 0 ? firstPartBlocks : s.whh[l].BlockCount;
            int u0 = part == 0 ? 0 : s.split, u1 = part == 0 ? s.split : s.hidden;
            if (u0 >= u1) return;
            var state = State!;
            ReadOnlySpan<float> xg = s.xg;
            fixed (float* h = state.H, x = s.xg, r = s.hg, bias = s.xBias[l])
            {
                if (l == 0) xg = s.inputTable.AsSpan(Token * s.gh, s.gh);
                else s.wih[l].Multiply(h + (l - 1) * s.hidden, x, bias, b0, b1);
                s.whh[l].Multiply(h + l * s.hidden, r, null, b0, b1);
            }
            var c = s.kernel.HasCell ? state.C.AsSpan(l * s.hidden, s.hidden) : Span<float>.Empty;
            s.kernel.ForwardUnits(s.hidden, u0, u1, xg, s.hg, s.hBias[l], state.H.AsSpan(l * s.hidden, s.hidden), c, s.hNew, s.cNew, s.saved);
        }
    }
}
