// The course's language model: token input (embedding or one-hot) -> recurrent stack -> linear
// decoder, with parameter names that map one to one onto a PyTorch state_dict of the same design.
using TextGen.Tensors;
using TextGen.Tensors.Kernels;

namespace TextGen.Nn;

/// <summary>Embedding (or one-hot) -> RNN/LSTM/GRU stack -> Linear decoder, predicting the next token at every position.</summary>
public sealed class CharRnnModel : Module
{
    private readonly Dropout? dropout;
    private readonly Generator generator; // draws the initial weights, then every dropout mask

    /// <summary>Builds the model with PyTorch's default initialisation drawn from <paramref name="seed"/>.</summary>
    public CharRnnModel(CharRnnConfig config, ulong seed = 1337)
    {
        config.Validate();
        Config = config;
        var gen = generator = new Generator(seed);
        if (config.EmbeddingDim > 0) Input = RegisterModule("embedding", new Embedding(config.VocabularySize, config.EmbeddingDim, gen));
        else Input = new OneHot(config.VocabularySize);
        int inSize = Input.OutputSize;
        Rnn = RegisterModule("rnn", config.Arch switch
        {
            RecurrentArch.Lstm => (RecurrentLayer)new Lstm(inSize, config.HiddenSize, config.NumLayers, true, config.Dropout, gen),
            RecurrentArch.Gru => new Gru(inSize, config.HiddenSize, config.NumLayers, true, config.Dropout, gen),
            RecurrentArch.RnnRelu => new Rnn(inSize, config.HiddenSize, config.NumLayers, "relu", true, config.Dropout, gen),
            RecurrentArch.Rnn => new Rnn(inSize, config.HiddenSize, config.NumLayers, "tanh", true, config.Dropout, gen),
        });
        if (config.Dropout > 0) dropout = RegisterModule("dropout", new Dropout(config.Dropout, gen));
        Decoder = RegisterModule("decoder", new Linear(config.HiddenSize, config.VocabularySize, true, gen));
    }

    /// <summary>
    /// PyTorch-default initial weights of a <paramref name="config"/> model drawn from <paramref name="seed"/>, as flat arrays by
    /// parameter name: what engines that keep their own weight buffers (the GPU) start from, so every engine starts alike.
    /// </summary>
    public static Dictionary<string, float[]> InitialParameters(CharRnnConfig config, ulong seed = 1337) =>
        new CharRnnModel(config, seed).NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Data);

    /// <summary>The architecture.</summary>
    public CharRnnConfig Config { get; }

    /// <summary>Token input: <see cref="Embedding"/> or <see cref="OneHot"/>.</summary>
    public ITokenInput Input { get; }

    /// <summary>The recurrent stack (batch-first).</summary>
    public RecurrentLayer Rnn { get; }

    /// <summary>Hidden state to vocabulary logits.</summary>
    public Linear Decoder { get; }

    /// <summary>Vocabulary size.</summary>
    public int VocabularySize => Config.VocabularySize;

    /// <summary>
    /// Sets the dropout masks' random source to a state derived from (seed, step), so that a run resumed at
    /// any step draws the same masks as an uninterrupted one.
    /// </summary>
    public void ReseedDropout(ulong seed, int step) =>
        generator.SetState(new Generator(Generator.SeedForStep(seed, step)).GetState());

    /// <summary>A zero state for <paramref name="batch"/> sequences.</summary>
    public RecurrentState ZeroState(int batch) => Rnn.ZeroState(batch);

    /// <summary>
    /// Logits (batch, seqLen, V) for token ids laid out (batch, seqLen) row-major, and the final state.
    /// A null state starts from zeros.
    /// </summary>
    public (Tensor Logits, RecurrentState State) Forward(ReadOnlySpan<int> tokens, int batch, int seqLen, RecurrentState? state = null)
    {
        var (y, next) = Hidden(tokens, batch, seqLen, state);
        using var _ = StepProfiler.Time("forward: decoder");
        return (Decoder.Forward(y), next);                          // (batch, seqLen, V)
    }

    /// <summary>The top layer's outputs (batch, seqLen, H) after dropout, which the decoder turns into logits.</summary>
    private (Tensor Hidden, RecurrentState State) Hidden(ReadOnlySpan<int> tokens, int batch, int seqLen, RecurrentState? state)
    {
        if (batch < 1 || seqLen < 1 || tokens.Length != batch * seqLen)
            throw new ArgumentException($"model: {tokens.Length} tokens do not fill (batch {batch}, seqLen {seqLen})");
        Tensor y;
        RecurrentState next;
        if (Input is Embedding emb && 2 * VocabularySize < batch * seqLen)
        {
            // Embedding then projection equals a lookup in the projected table E W_ih^T: V rows to compute instead of batch*seqLen.
            var table = Ops.MatMul(emb.Weight, Rnn.InputWeight, transposeB: true);            // (V, gates*H)
            (y, next) = Rnn.ForwardFromTable(table, tokens.ToArray(), batch, seqLen, state);  // (batch, seqLen, H)
        }
        else
        {
            var x = Input.Forward(tokens, batch, seqLen);               // (batch, seqLen, E or V)
            (y, next) = Rnn.Forward(x, state);                          // (batch, seqLen, H)
        }
        if (dropout is not null) y = dropout.Forward(y);
        return (y, next);
    }

    /// <summary>Mean cross-entropy of predicting <paramref name="targets"/> (batch, seqLen), with the final state.</summary>
    public (Tensor Loss, RecurrentState State) Loss(ReadOnlySpan<int> tokens, ReadOnlySpan<int> targets, int batch, int seqLen, RecurrentState? state = null)
    {
        var (y, next) = Hidden(tokens, batch, seqLen, state);
        using var _ = StepProfiler.Time("forward: decoder and cross-entropy");
        return (Ops.LinearCrossEntropy(y, Decoder.Weight, Decoder.Bias, targets), next);
    }
}
