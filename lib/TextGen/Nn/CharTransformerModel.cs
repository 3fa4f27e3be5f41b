// A small causal transformer language model: token + position embeddings -> pre-norm attention blocks -> a final
// layer norm -> a linear decoder, predicting the next token at every position from the positions before it.
using TextGen.Tensors;

namespace TextGen.Nn;

/// <summary>
/// A decoder-only transformer (as GPT and nanoGPT, in PyTorch's layer names): next-token logits at every position of a
/// context of at most <see cref="CharTransformerConfig.BlockSize"/> tokens; position t never reads the tokens after t.
/// </summary>
public sealed class CharTransformerModel : Module
{
    private readonly TransformerBlock[] layers;

    /// <summary>
    /// Builds the model with GPT-2's initialisation drawn from <paramref name="seed"/>: every weight from N(0, 0.02), the two
    /// projections that write into the residual stream scaled down by sqrt(2 x layers), biases 0, layer norms 1 and 0.
    /// </summary>
    public CharTransformerModel(CharTransformerConfig config, ulong seed = 1337)
    {
        config.Validate();
        Config = config;
        var gen = new Generator(seed);
        int e = config.EmbeddingDim;
        Embedding = RegisterModule("embedding", new Embedding(config.VocabularySize, e, gen));
        PositionEmbedding = RegisterModule("position_embedding", new Embedding(config.BlockSize, e, gen));
        layers = new TransformerBlock[config.NumLayers];
        for (int l = 0; l < layers.Length; l++)
            layers[l] = RegisterModule($"layers.{l}", new TransformerBlock(e, config.NumHeads, config.MlpDim, gen));
        Norm = RegisterModule("norm", new LayerNorm(e));
        Decoder = RegisterModule("decoder", new Linear(e, config.VocabularySize, true, gen));

        // Each block adds two outputs to the residual stream; scaling their projections keeps its spread near 1 at the start.
        float residualStd = 0.02f / MathF.Sqrt(2 * config.NumLayers);
        foreach (var (name, p) in NamedParameters())
        {
            if (name.EndsWith("bias")) p.Span.Clear();
            else if (p.Rank == 2) gen.FillNormal(p.Data, 0f, name.EndsWith("out_proj.weight") || name.EndsWith("linear2.weight") ? residualStd : 0.02f);
            // What is left are the layer norms' weights, which stay 1.
        }
    }

    /// <summary>The architecture.</summary>
    public CharTransformerConfig Config { get; }

    /// <summary>Token vectors, (V, embeddingDim).</summary>
    public Embedding Embedding { get; }

    /// <summary>One learned vector per position 0..blockSize-1, added to the token's: how the model knows where a token is.</summary>
    public Embedding PositionEmbedding { get; }

    /// <summary>The transformer blocks, first to last.</summary>
    public IReadOnlyList<TransformerBlock> Layers => layers;

    /// <summary>Normalises the last block's output before the decoder.</summary>
    public LayerNorm Norm { get; }

    /// <summary>Vectors to vocabulary logits.</summary>
    public Linear Decoder { get; }

    /// <summary>Vocabulary size.</summary>
    public int VocabularySize => Config.VocabularySize;

    /// <summary>Logits (batch, seqLen, V) for token ids laid out (batch, seqLen) row-major; seqLen is at most the block size.</summary>
    public Tensor Forward(ReadOnlySpan<int> tokens, int batch, int seqLen) => Decoder.Forward(Hidden(tokens, batch, seqLen, null));

    /// <summary>Mean cross-entropy of predicting <paramref name="targets"/> (batch, seqLen), the decoder and the loss fused into one op.</summary>
    public Tensor Loss(ReadOnlySpan<int> tokens, ReadOnlySpan<int> targets, int batch, int seqLen) =>
        Ops.LinearCrossEntropy(Hidden(tokens, batch, seqLen, null), Decoder.Weight, Decoder.Bias, targets);

    /// <summary>
    /// The attention weights of every block over one passage (at most the block size), in evaluation mode and without
    /// gradients: one tensor per block, (heads, time, time); row i of a head is what position i reads from positions 0..i.
    /// </summary>
    public Tensor[] AttentionWeights(ReadOnlySpan<int> tokens)
    {
        using var _ = Autograd.NoGrad();
        var weights = new List<Tensor>();
        Hidden(tokens, 1, tokens.Length, weights);
        int time = tokens.Length;
        return [.. weights.Select(w => w.Reshape(Config.NumHeads, time, time))];
    }

    /// <summary>
    /// One head's attention over a passage as rows of doubles, ready for <c>Charts.Heatmap</c>: row i holds what position i
    /// takes from each position (0 after i). <paramref name="layer"/> and <paramref name="head"/> count from 0.
    /// </summary>
    public double[][] AttentionMap(ReadOnlySpan<int> tokens, int layer, int head)
    {
        if ((uint)layer >= (uint)Config.NumLayers) throw new ArgumentOutOfRangeException(nameof(layer), $"transformer: layer {layer} is outside 0..{Config.NumLayers - 1}");
        if ((uint)head >= (uint)Config.NumHeads) throw new ArgumentOutOfRangeException(nameof(head), $"transformer: head {head} is outside 0..{Config.NumHeads - 1}");
        var weights = AttentionWeights(tokens)[layer];                               // (heads, time, time)
        int time = tokens.Length;
        var rows = new double[time][];
        for (int i = 0; i < time; i++)
        {
            rows[i] = new double[time];
            for (int j = 0; j <= i; j++) rows[i][j] = weights[head, i, j];
        }
        return rows;
    }

    /// <summary>A one-step model for generation (the same samplers and beam search as the recurrent models use).</summary>
    public IStepModel CreateStepModel() => new TransformerStepModel(this);

    /// <summary>The final normalised vectors (batch, seqLen, embeddingDim); collects each block's attention weights when asked.</summary>
    private Tensor Hidden(ReadOnlySpan<int> tokens, int batch, int seqLen, List<Tensor>? attentionWeights)
    {
        if (batch < 1 || seqLen < 1 || tokens.Length != batch * seqLen)
            throw new ArgumentException($"transformer: {tokens.Length} tokens do not fill (batch {batch}, seqLen {seqLen})");
        if (seqLen > Config.BlockSize)
            throw new ArgumentException($"transformer: a context of {seqLen} tokens is longer than the block size {Config.BlockSize} the model has positions for; crop it to the last {Config.BlockSize} tokens");
        var positions = new int[seqLen];
        for (int t = 0; t < seqLen; t++) positions[t] = t;
        var x = Embedding.Forward(tokens, batch, seqLen) + PositionEmbedding.Forward(positions, seqLen); // (batch, seqLen, embeddingDim)
        foreach (var block in layers)
        {
            var (output, weights) = block.ForwardWithWeights(x);                                       // (batch, seqLen, embeddingDim)
            attentionWeights?.Add(weights);                                                            // (batch, heads, seqLen, seqLen)
            x = output;
        }
        return Norm.Forward(x);
    }
}
