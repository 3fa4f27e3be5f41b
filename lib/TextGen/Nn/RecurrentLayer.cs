// Multi-layer RNN, LSTM and GRU modules with torch.nn's constructor arguments, parameter names,
// weight layout and initialisation; each layer runs as one fused op (Recurrent/RecurrentLayerOp).
using TextGen.Nn.Recurrent;
using TextGen.Tensors;

namespace TextGen.Nn;

/// <summary>Hidden state of a recurrent stack: h (layers, batch, hidden), and c for an LSTM.</summary>
public sealed record RecurrentState(Tensor H, Tensor? C = null)
{
    /// <summary>The same values cut from the graph, for truncated backpropagation through time.</summary>
    public RecurrentState Detach() => new(H.Detach(), C?.Detach());
}

/// <summary>Common part of <see cref="Rnn"/>, <see cref="Lstm"/> and <see cref="Gru"/>.</summary>
public abstract class RecurrentLayer : Module
{
    private readonly CellKernel kernel;
    private readonly Tensor[] weightIh, weightHh, biasIh, biasHh;
    private readonly Generator generator;

    private protected RecurrentLayer(CellKernel kernel, string name, int inputSize, int hiddenSize, int numLayers,
        bool batchFirst, float dropout, Generator? generator)
    {
        if (inputSize < 1) throw new ArgumentOutOfRangeException(nameof(inputSize), $"{name}: inputSize must be at least 1, got {inputSize}");
        if (hiddenSize < 1) throw new ArgumentOutOfRangeException(nameof(hiddenSize), $"{name}: hiddenSize must be at least 1, got {hiddenSize}");
        if (numLayers < 1) throw new ArgumentOutOfRangeException(nameof(numLayers), $"{name}: numLayers must be at least 1, got {numLayers}");
        if (dropout < 0 || dropout >= 1) throw new ArgumentOutOfRangeException(nameof(dropout), $"{name}: dropout {dropout} must be in [0, 1)");
        this.kernel = kernel;
        this.generator = generator ?? new Generator(0);
        Name = name;
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        NumLayers = numLayers;
        BatchFirst = batchFirst;
        DropoutP = dropout;
        int g = kernel.Gates * hiddenSize;
        weightIh = new Tensor[numLayers]; weightHh = new Tensor[numLayers]; biasIh = new Tensor[numLayers]; biasHh = new Tensor[numLayers];
        for (int l = 0; l < numLayers; l++)
        {
            int inSize = l == 0 ? inputSize : hiddenSize;
            weightIh[l] = RegisterParameter($"weight_ih_l{l}", Init.UniformFanIn(this.generator, hiddenSize, g, inSize));
            weightHh[l] = RegisterParameter($"weight_hh_l{l}", Init.UniformFanIn(this.generator, hiddenSize, g, hiddenSize));
            biasIh[l] = RegisterParameter($"bias_ih_l{l}", Init.UniformFanIn(this.generator, hiddenSize, g));
            biasHh[l] = RegisterParameter($"bias_hh_l{l}", Init.UniformFanIn(this.generator, hiddenSize, g));
        }
    }

    /// <summary>Layer kind as PyTorch names it (RNN, LSTM, GRU).</summary>
    public string Name { get; }

    /// <summary>Features per input step.</summary>
    public int InputSize { get; }

    /// <summary>Features of the hidden state.</summary>
    public int HiddenSize { get; }

    /// <summary>Stacked layers.</summary>
    public int NumLayers { get; }

    /// <summary>Whether input and output are (batch, time, features) rather than (time, batch, features).</summary>
    public bool BatchFirst { get; }

    /// <summary>Dropout on the outputs of every layer but the last, in training mode.</summary>
    public float DropoutP { get; }

    /// <summary>Whether the state has a memory cell (LSTM).</summary>
    public bool HasCell => kernel.HasCell;

    internal CellKernel Kernel => kernel;

    /// <summary>Weights of layer <paramref name="layer"/>: W_ih, W_hh, b_ih, b_hh.</summary>
    internal (Tensor Wih, Tensor Whh, Tensor Bih, Tensor Bhh) LayerWeights(int layer) => (weightIh[layer], weightHh[layer], biasIh[layer], biasHh[layer]);

    /// <summary>A zero state for <paramref name="batch"/> sequences.</summary>
    public RecurrentState ZeroState(int batch) =>
        new(Tensor.Zeros(NumLayers, batch, HiddenSize), HasCell ? Tensor.Zeros(NumLayers, batch, HiddenSize) : null);

    /// <summary>
    /// Runs the stack over a sequence. Input (batch, time, inputSize) with <see cref="BatchFirst"/>, else (time, batch, inputSize);
    /// returns the top layer's outputs and the final state. A null state starts from zeros.
    /// </summary>
    public (Tensor Output, RecurrentState State) Forward(Tensor input, RecurrentState? state = null)
    {
        if (input.Rank != 3 || input.Size(2) != InputSize)
            throw new ArgumentException($"{Name}: input {input.ShapeString} must be {(BatchFirst ? "(batch, time, " : "(time, batch, ")}{InputSize})");
        return Run(input, state, null);
    }

    /// <summary>
    /// Like <see cref="Forward"/> for a batch-first stack whose layer-0 input projection x W_ih0^T is a row of
    /// <paramref name="table"/> (V, gates*hidden) picked by each token id: a model with embedding inputs computes
    /// E W_ih0^T once instead of projecting every position.
    /// </summary>
    public (Tensor Output, RecurrentState State) ForwardFromTable(Tensor table, int[] ids, int batch, int steps, RecurrentState? state = null)
    {
        int gh = kernel.Gates * HiddenSize;
        if (!BatchFirst) throw new InvalidOperationException($"{Name}: token-table input needs a batch-first layer");
        if (table.Rank != 2 || table.Size(1) != gh)
            throw new ArgumentException($"{Name}: projected table {table.ShapeString} must be (vocabulary, {gh})");
        if (ids.Length != batch * steps) throw new ArgumentException($"{Name}: {ids.Length} ids do not fill (batch {batch}, steps {steps})");
        foreach (var id in ids)
            if ((uint)id >= (uint)table.Size(0)) throw new ArgumentOutOfRangeException(nameof(ids), $"token id {id} is outside the vocabulary of size {table.Size(0)}");
        return Run(table, state, new TokenRows(ids, batch, steps));
    }

    /// <summary>W_ih of layer 0, (gates*hidden, inputSize).</summary>
    public Tensor InputWeight => weightIh[0];

    private (Tensor Output, RecurrentState State) Run(Tensor input, RecurrentState? state, TokenRows? tokens)
    {
        int batch = tokens?.Batch ?? (BatchFirst ? input.Size(0) : input.Size(1));
        state ??= ZeroState(batch);
        CheckState(state, batch);
        var x = input;
        var hs = new Tensor[NumLayers];
        var cs = HasCell ? new Tensor[NumLayers] : null;
        for (int l = 0; l < NumLayers; l++)
        {
            var h0 = NumLayers == 1 ? state.H.Reshape(batch, HiddenSize) : Ops.Select(state.H, 0, l);
            Tensor? c0 = null;
            if (HasCell) c0 = NumLayers == 1 ? state.C!.Reshape(batch, HiddenSize) : Ops.Select(state.C!, 0, l);
            var (y, hT, cT) = RecurrentLayerOp.Forward(kernel, x, h0, c0, weightIh[l], weightHh[l], biasIh[l], biasHh[l], BatchFirst, l == 0 ? tokens : null);
            hs[l] = hT;
            if (cs is not null) cs[l] = cT!;
            x = l < NumLayers - 1 ? Ops.Dropout(y, DropoutP, Training, generator) : y;
        }
        var hN = Ops.Stack(hs, 0);
        var cN = cs is null ? null : Ops.Stack(cs, 0);
        return (x, new RecurrentState(hN, cN));
    }

    private void CheckState(RecurrentState state, int batch)
    {
        int[] want = [NumLayers, batch, HiddenSize];
        if (!state.H.Shape.SequenceEqual(want))
            throw new ArgumentException($"{Name}: initial h {state.H.ShapeString} must be {ShapeUtil.Format(want)} (layers, batch, hidden)");
        if (HasCell && (state.C is null || !state.C.Shape.SequenceEqual(want)))
            throw new ArgumentException($"{Name}: initial c {state.C?.ShapeString ?? "(missing)"} must be {ShapeUtil.Format(want)} (layers, batch, hidden)");
    }
}

/// <summary>Elman RNN, as torch.nn.RNN (nonlinearity "tanh" or "relu").</summary>
public sealed class Rnn(int inputSize, int hiddenSize, int numLayers = 1, string nonlinearity = "tanh",
    bool batchFirst = false, float dropout = 0f, Generator? generator = null)
    : RecurrentLayer(nonlinearity switch
    {
        "tanh" => RnnKernel.Tanh,
        "relu" => RnnKernel.Relu,
        _ => throw new ArgumentException($"RNN: nonlinearity '{nonlinearity}' is not supported; use \"tanh\" or \"relu\"", nameof(nonlinearity)),
    }, "RNN", inputSize, hiddenSize, numLayers, batchFirst, dropout, generator)
{
    /// <summary>"tanh" or "relu".</summary>
    public string Nonlinearity { get; } = nonlinearity;
}

/// <summary>Long short-term memory, as torch.nn.LSTM (gate order i, f, g, o).</summary>
public sealed class Lstm(int inputSize, int hiddenSize, int numLayers = 1, bool batchFirst = false,
    float dropout = 0f, Generator? generator = null)
    : RecurrentLayer(LstmKernel.Instance, "LSTM", inputSize, hiddenSize, numLayers, batchFirst, dropout, generator);

/// <summary>Gated recurrent unit, as torch.nn.GRU (gate order r, z, n).</summary>
public sealed class Gru(int inputSize, int hiddenSize, int numLayers = 1, bool batchFirst = false,
    float dropout = 0f, Generator? generator = null)
    : RecurrentLayer(GruKernel.Instance, "GRU", inputSize, hiddenSize, numLayers, batchFirst, dropout, generator);
