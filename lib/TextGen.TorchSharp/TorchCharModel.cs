// The course's character model built from TorchSharp's own layers (Embedding or one-hot, RNN/LSTM/GRU, Linear),
// with the same parameter names as TextGen's CharRnnModel, so that one state dict loads into either.
using TextGen.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using TgTensor = TextGen.Tensors.Tensor;

namespace TextGen.TorchSharp;

/// <summary>Logits and final state of one TorchSharp forward pass; <c>C</c> is null except for LSTM.</summary>
public sealed record TorchForward(Tensor Logits, Tensor H, Tensor? C);

/// <summary>Embedding (or one-hot) -> torch.nn RNN/LSTM/GRU (batch-first) -> Linear, described by a <see cref="CharRnnConfig"/>.</summary>
public sealed class TorchCharModel : nn.Module
{
    private readonly nn.Module<Tensor, Tensor>? embedding;
    private readonly nn.Module rnn;
    private readonly nn.Module<Tensor, Tensor> decoder;

    /// <summary>Builds the layers with TorchSharp's own initialisation; load TextGen's weights with <see cref="LoadFrom"/>.</summary>
    public TorchCharModel(CharRnnConfig config) : base(nameof(TorchCharModel))
    {
        TorchSharpRuntime.EnsureLoaded();
        config.Validate();
        Config = config;
        int inSize = config.EmbeddingDim > 0 ? config.EmbeddingDim : config.VocabularySize;
        if (config.EmbeddingDim > 0) embedding = nn.Embedding(config.VocabularySize, config.EmbeddingDim);
        float between = config.NumLayers > 1 ? config.Dropout : 0f; // PyTorch warns on dropout with one layer
        rnn = config.Arch switch
        {
            RecurrentArch.Lstm => nn.LSTM(inSize, config.HiddenSize, config.NumLayers, batchFirst: true, dropout: between),
            RecurrentArch.Gru => nn.GRU(inSize, config.HiddenSize, config.NumLayers, batchFirst: true, dropout: between),
            RecurrentArch.RnnRelu => nn.RNN(inSize, config.HiddenSize, config.NumLayers, nn.NonLinearities.ReLU, batchFirst: true, dropout: between),
            RecurrentArch.Rnn => nn.RNN(inSize, config.HiddenSize, config.NumLayers, nn.NonLinearities.Tanh, batchFirst: true, dropout: between),
        };
        decoder = nn.Linear(config.HiddenSize, config.VocabularySize);
        if (embedding is not null) register_module("embedding", embedding);
        register_module("rnn", rnn);
        register_module("decoder", decoder);
    }

    /// <summary>The architecture, shared with TextGen's model.</summary>
    public CharRnnConfig Config { get; }

    /// <summary>Copies every parameter from a TextGen state dict (PyTorch names and layout); throws on a missing name or shape.</summary>
    public void LoadFrom(IReadOnlyDictionary<string, TgTensor> state)
    {
        using var _ = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            if (!state.TryGetValue(name, out var t)) throw new ArgumentException($"state dict has no '{name}'");
            long[] shape = [.. t.ShapeArray.Select(d => (long)d)];
            if (!p.shape.SequenceEqual(shape)) throw new ArgumentException($"'{name}': TorchSharp shape ({string.Join(", ", p.shape)}) but state dict has {t.ShapeString}");
            using var source = tensor(t.Data, shape);
            p.copy_(source);
        }
    }

    /// <summary>Parameters (or, with <paramref name="gradients"/>, their gradients) as TextGen tensors under PyTorch names.</summary>
    public Dictionary<string, TgTensor> Export(bool gradients = false)
    {
        var result = new Dictionary<string, TgTensor>();
        foreach (var (name, p) in named_parameters())
        {
            var source = gradients ? p.grad ?? throw new InvalidOperationException($"'{name}' has no gradient: run backward first") : p;
            result[name] = ToTextGen(source);
        }
        return result;
    }

    /// <summary>Logits (batch, seqLen, V) for int64 token ids (batch, seqLen), from a given or zero state.</summary>
    public TorchForward Forward(Tensor tokens, Tensor? h0 = null, Tensor? c0 = null)
    {
        var x = embedding is not null
            ? embedding.call(tokens)                                                                   // (batch, seqLen, E)
            : nn.functional.one_hot(tokens, Config.VocabularySize).to_type(ScalarType.Float32);        // (batch, seqLen, V)
        Tensor y, h;
        Tensor? c = null;
        switch (rnn)
        {
            case LSTM lstm:
                (y, h, c) = lstm.call(x, h0 is null ? null : (h0, c0 ?? throw new ArgumentException("an LSTM state needs c0 too")));
                break;
            case GRU gru:
                (y, h) = gru.call(x, h0);
                break;
            default:
                (y, h) = ((RNN)rnn).call(x, h0);
                break;
        }
        if (Config.Dropout > 0) y = nn.functional.dropout(y, Config.Dropout, training);             // before the decoder, as TextGen does
        return new TorchForward(decoder.call(y), h, c);                                               // (batch, seqLen, V)
    }

    /// <summary>Mean cross-entropy of the logits (batch, seqLen, V) against int64 targets (batch, seqLen).</summary>
    public static Tensor Loss(Tensor logits, Tensor targets) =>
        nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), targets.reshape(-1));

    /// <summary>Token ids laid out (batch, seqLen) row-major as an int64 tensor.</summary>
    public static Tensor Tokens(ReadOnlySpan<int> ids, int batch, int seqLen)
    {
        long[] wide = new long[ids.Length];
        for (int i = 0; i < ids.Length; i++) wide[i] = ids[i];
        return tensor(wide, [batch, seqLen]);
    }

    /// <summary>A TorchSharp float32 tensor copied into a TextGen tensor of the same shape.</summary>
    public static TgTensor ToTextGen(Tensor t)
    {
        using var cpu = t.detach().cpu().contiguous();
        return new TgTensor(cpu.data<float>().ToArray(), [.. cpu.shape.Select(d => (int)d)]);
    }

    /// <summary>A TextGen tensor copied into a TorchSharp float32 tensor.</summary>
    public static Tensor FromTextGen(TgTensor t) => tensor(t.Data, [.. t.ShapeArray.Select(d => (long)d)]);
}
