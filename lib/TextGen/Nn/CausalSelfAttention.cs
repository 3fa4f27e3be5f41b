// Multi-head causal self-attention: every position mixes the value vectors of itself and the positions before it,
// weighted by how well its query matches their keys. Parameters named as torch.nn.MultiheadAttention's.
using TextGen.Tensors;

namespace TextGen.Nn;

/// <summary>
/// Masked multi-head self-attention over (batch, time, embedDim), as <c>torch.nn.MultiheadAttention(embedDim, numHeads,
/// batch_first=True)</c> called with the same input as query, key and value and a causal mask.
/// </summary>
public sealed class CausalSelfAttention : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer with PyTorch's initialisation (Xavier-uniform input projection, zero biases).</summary>
    public CausalSelfAttention(int embedDim, int numHeads, Generator? generator = null)
    {
        if (embedDim < 1) throw new ArgumentOutOfRangeException(nameof(embedDim), $"CausalSelfAttention: embedDim must be at least 1, got {embedDim}");
        if (numHeads < 1 || embedDim % numHeads != 0)
            throw new ArgumentOutOfRangeException(nameof(numHeads), $"CausalSelfAttention: numHeads {numHeads} must be at least 1 and divide embedDim {embedDim}");
        generator ??= new Generator(0);
        EmbedDim = embedDim;
        NumHeads = numHeads;
        float bound = MathF.Sqrt(6f / (embedDim + 3 * embedDim));
        InProjWeight = RegisterParameter("in_proj_weight", Tensor.Uniform(generator, -bound, bound, 3 * embedDim, embedDim));
        InProjBias = RegisterParameter("in_proj_bias", Tensor.Zeros(3 * embedDim));
        OutProj = RegisterModule("out_proj", new Linear(embedDim, embedDim, true, generator));
        OutProj.Bias!.Span.Clear();
    }

    /// <summary>Width of the input and output vectors.</summary>
    public int EmbedDim { get; }

    /// <summary>Number of heads; each attends with vectors of <see cref="HeadDim"/> values.</summary>
    public int NumHeads { get; }

    /// <summary>embedDim / numHeads.</summary>
    public int HeadDim => EmbedDim / NumHeads;

    /// <summary>The query, key and value projections stacked, (3 embedDim, embedDim): rows q, then k, then v.</summary>
    public Tensor InProjWeight { get; }

    /// <summary>Their biases, (3 embedDim).</summary>
    public Tensor InProjBias { get; }

    /// <summary>Mixes the heads' outputs back into one vector per position.</summary>
    public Linear OutProj { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => ForwardWithWeights(input).Output;

    /// <summary>
    /// The output (batch, time, embedDim) and every head's attention weights (batch, heads, time, time): row i of a head's
    /// matrix is how much position i takes from each position 0..i (the row sums to 1; the entries after i are 0).
    /// </summary>
    public (Tensor Output, Tensor Weights) ForwardWithWeights(Tensor input)
    {
        if (input.Rank != 3 || input.Size(2) != EmbedDim)
            throw new ArgumentException($"CausalSelfAttention: input {input.ShapeString} must be (batch, time, embedDim = {EmbedDim})");
        int batch = input.Size(0), time = input.Size(1), e = EmbedDim;
        var qkv = Ops.Linear(input, InProjWeight, InProjBias);                          // (batch, time, 3 embedDim)
        var q = SplitHeads(Ops.Slice(qkv, 2, 0, e), batch, time);                      // (batch, heads, time, headDim)
        var k = SplitHeads(Ops.Slice(qkv, 2, e, e), batch, time);                      // (batch, heads, time, headDim)
        var v = SplitHeads(Ops.Slice(qkv, 2, 2 * e, e), batch, time);                  // (batch, heads, time, headDim)
        // Dividing by sqrt(headDim) keeps the scores' spread near 1 whatever the width, so the softmax does not saturate.
        var scores = Ops.BatchMatMul(q, k, transposeB: true) * (1f / MathF.Sqrt(HeadDim)); // (batch, heads, time, time)
        var weights = Ops.CausalSoftmax(scores);                                        // (batch, heads, time, time)
        var y = Ops.BatchMatMul(weights, v);                                            // (batch, heads, time, headDim)
        y = y.Transpose(1, 2).Reshape(batch, time, e);                                  // (batch, time, embedDim)
        return (OutProj.Forward(y), weights);
    }

    /// <summary>(batch, time, embedDim) as (batch, heads, time, headDim): each head's vectors side by side.</summary>
    private Tensor SplitHeads(Tensor x, int batch, int time) => x.Reshape(batch, time, NumHeads, HeadDim).Transpose(1, 2);
}
