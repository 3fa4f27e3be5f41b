// The per-time-step math of one recurrent cell type, on spans, forward and backward.
// A fused layer (RecurrentLayerOp) calls these once per step; everything else is matrix products.
namespace TextGen.Nn.Recurrent;

/// <summary>Gate math of one cell type for a whole batch at one time step.</summary>
internal abstract class CellKernel
{
    /// <summary>Number of gate blocks in the weight matrices (1 RNN, 4 LSTM, 3 GRU).</summary>
    public abstract int Gates { get; }

    /// <summary>Whether the cell carries a memory cell c besides h (LSTM).</summary>
    public virtual bool HasCell => false;

    /// <summary>Floats saved per batch row per step for the backward pass.</summary>
    public abstract int SavedWidth(int hidden);

    /// <summary>
    /// One step for the batch. <paramref name="xg"/> is (B, G*H) = x W_ih^T + b_ih;
    /// <paramref name="hg"/> is (B, G*H) = h W_hh^T + b_hh. Writes the new h (and c) and what backward needs.
    /// </summary>
    public abstract void Forward(int batch, int hidden, ReadOnlySpan<float> xg, ReadOnlySpan<float> hg,
        ReadOnlySpan<float> hPrev, ReadOnlySpan<float> cPrev, Span<float> hNew, Span<float> cNew, Span<float> saved);

    /// <summary>
    /// Backward of one step. On entry <paramref name="dh"/> is dL/dh_t and <paramref name="dc"/> dL/dc_t; on exit
    /// <paramref name="dh"/> holds the part of dL/dh_{t-1} that does not pass through W_hh, and <paramref name="dc"/> dL/dc_{t-1}.
    /// Writes the gradients of the two pre-activations <paramref name="dxg"/> and <paramref name="dhg"/>.
    /// </summary>
    public abstract void Backward(int batch, int hidden, ReadOnlySpan<float> saved, ReadOnlySpan<float> hPrev,
        ReadOnlySpan<float> cPrev, ReadOnlySpan<float> cNew, ReadOnlySpan<float> hNew,
        Span<float> dh, Span<float> dc, Span<float> dxg, Span<float> dhg);

    /// <summary>Logistic sigmoid in float, written out so forward and backward share it.</summary>
    protected static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));
}
