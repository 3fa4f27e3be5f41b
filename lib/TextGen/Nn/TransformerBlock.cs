// One transformer block with the norm first (pre-LN): x + attention(norm1(x)), then x + MLP(norm2(x)).
// Parameters named as torch.nn.TransformerEncoderLayer(norm_first=True) names them.
using TextGen.Tensors;

namespace TextGen.Nn;

/// <summary>
/// A pre-norm transformer block, as <c>torch.nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout=0,
/// activation=gelu (tanh form), batch_first=True, norm_first=True)</c> with a causal mask.
/// </summary>
public sealed class TransformerBlock : Module<Tensor, Tensor>
{
    /// <summary>Creates the block; <paramref name="dimFeedforward"/> is the MLP's hidden width (usually 4 embedDim).</summary>
    public TransformerBlock(int embedDim, int numHeads, int dimFeedforward, Generator? generator = null)
    {
        if (dimFeedforward < 1) throw new ArgumentOutOfRangeException(nameof(dimFeedforward), $"TransformerBlock: dimFeedforward must be at least 1, got {dimFeedforward}");
        generator ??= new Generator(0);
        // Registered in PyTorch's order, so NamedParameters() lists what a TransformerEncoderLayer's state_dict() does.
        SelfAttn = RegisterModule("self_attn", new CausalSelfAttention(embedDim, numHeads, generator));
        Linear1 = RegisterModule("linear1", new Linear(embedDim, dimFeedforward, true, generator));
        Linear2 = RegisterModule("linear2", new Linear(dimFeedforward, embedDim, true, generator));
        Norm1 = RegisterModule("norm1", new LayerNorm(embedDim));
        Norm2 = RegisterModule("norm2", new LayerNorm(embedDim));
    }

    /// <summary>The attention sub-layer: positions read from earlier positions.</summary>
    public CausalSelfAttention SelfAttn { get; }

    /// <summary>The MLP's first layer, embedDim to dimFeedforward.</summary>
    public Linear Linear1 { get; }

    /// <summary>The MLP's second layer, back to embedDim.</summary>
    public Linear Linear2 { get; }

    /// <summary>Normalises the input of the attention.</summary>
    public LayerNorm Norm1 { get; }

    /// <summary>Normalises the input of the MLP.</summary>
    public LayerNorm Norm2 { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => ForwardWithWeights(input).Output;

    /// <summary>The block's output (batch, time, embedDim) and its attention weights (batch, heads, time, time).</summary>
    public (Tensor Output, Tensor Weights) ForwardWithWeights(Tensor input)
    {
        var (attended, weights) = SelfAttn.ForwardWithWeights(Norm1.Forward(input));  // (batch, time, embedDim)
        var x = input + attended;                                                     // the residual stream
        var hidden = Linear1.Forward(Norm2.Forward(x)).Gelu();                        // (batch, time, dimFeedforward)
        return (x + Linear2.Forward(hidden), weights);                                // (batch, time, embedDim)
    }
}
