// The description of a small causal transformer language model (sizes only), and what follows from it alone:
// PyTorch's parameter names and shapes and the parameter count, so it can be matched to an LSTM's budget.
namespace TextGen.Nn;

/// <summary>Architecture of a <see cref="CharTransformerModel"/>: vocabulary, context length, width, heads, blocks.</summary>
public sealed record CharTransformerConfig(
    int VocabularySize,        // tokens in the vocabulary (V)
    int BlockSize = 64,        // longest context the model reads; one learned position vector per place
    int EmbeddingDim = 64,     // width of every position's vector (d_model in PyTorch, n_embd in nanoGPT)
    int NumHeads = 2,          // attention heads per block; each works on EmbeddingDim / NumHeads values
    int NumLayers = 2,         // transformer blocks
    int FeedForwardDim = 0)    // hidden width of each block's MLP (dim_feedforward); 0 means 4 x EmbeddingDim
{
    /// <summary>The MLP's hidden width: <see cref="FeedForwardDim"/>, or 4 x <see cref="EmbeddingDim"/> when that is 0.</summary>
    public int MlpDim => FeedForwardDim > 0 ? FeedForwardDim : 4 * EmbeddingDim;

    /// <summary>Values per head: EmbeddingDim / NumHeads.</summary>
    public int HeadDim => EmbeddingDim / Math.Max(1, NumHeads);

    /// <summary>Throws with a clear message when a size is out of range.</summary>
    public void Validate()
    {
        if (VocabularySize < 1) throw new ArgumentOutOfRangeException(nameof(VocabularySize), $"vocabulary size must be at least 1, got {VocabularySize}");
        if (BlockSize < 1) throw new ArgumentOutOfRangeException(nameof(BlockSize), $"block size (the longest context) must be at least 1, got {BlockSize}");
        if (EmbeddingDim < 1) throw new ArgumentOutOfRangeException(nameof(EmbeddingDim), $"embedding dim must be at least 1, got {EmbeddingDim}");
        if (NumHeads < 1 || EmbeddingDim % NumHeads != 0)
            throw new ArgumentOutOfRangeException(nameof(NumHeads), $"heads {NumHeads} must be at least 1 and divide the embedding dim {EmbeddingDim}");
        if (NumLayers < 1) throw new ArgumentOutOfRangeException(nameof(NumLayers), $"layers must be at least 1, got {NumLayers}");
        if (FeedForwardDim < 0) throw new ArgumentOutOfRangeException(nameof(FeedForwardDim), $"feed-forward dim must be 0 (4 x embedding dim) or more, got {FeedForwardDim}");
    }

    /// <summary>Every parameter with its name and shape, in the order <see cref="Module.NamedParameters"/> lists them (no weights allocated).</summary>
    public IEnumerable<(string Name, int[] Shape)> ParameterShapes()
    {
        int e = EmbeddingDim;
        yield return ("embedding.weight", [VocabularySize, e]);
        yield return ("position_embedding.weight", [BlockSize, e]);
        for (int l = 0; l < NumLayers; l++)
        {
            string p = $"layers.{l}.";
            yield return (p + "self_attn.in_proj_weight", [3 * e, e]);
            yield return (p + "self_attn.in_proj_bias", [3 * e]);
            yield return (p + "self_attn.out_proj.weight", [e, e]);
            yield return (p + "self_attn.out_proj.bias", [e]);
            yield return (p + "linear1.weight", [MlpDim, e]);
            yield return (p + "linear1.bias", [MlpDim]);
            yield return (p + "linear2.weight", [e, MlpDim]);
            yield return (p + "linear2.bias", [e]);
            yield return (p + "norm1.weight", [e]);
            yield return (p + "norm1.bias", [e]);
            yield return (p + "norm2.weight", [e]);
            yield return (p + "norm2.bias", [e]);
        }
        yield return ("norm.weight", [e]);
        yield return ("norm.bias", [e]);
        yield return ("decoder.weight", [VocabularySize, e]);
        yield return ("decoder.bias", [VocabularySize]);
    }

    /// <summary>Number of trainable scalars.</summary>
    public long ParameterCount() => ParameterBudget.Total(ParameterShapes());
}
