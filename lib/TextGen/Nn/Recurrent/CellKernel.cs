// The per-time-step math of one recurrent cell type for one batch row, forward and backward.
// A fused layer (RecurrentLayerOp) calls these once per row and step; everything else is matrix products.
// Each kernel is one vectorised pass over the hidden units: gate pre-activations go in, the new state and
// the gate activations backward needs come out, with no intermediate buffers.
namespace TextGen.Nn.Recurrent;

/// <summary>Gate math of one cell type for one batch row at one time step.</summary>
internal abstract class CellKernel
{
    /// <summary>Number of gate blocks in the weight matrices (1 RNN, 4 LSTM, 3 GRU).</summary>
    public abstract int Gates { get; }

    /// <summary>Whether the cell carries a memory cell c besides h (LSTM).</summary>
    public virtual bool HasCell => false;

    /// <summary>Floats saved per batch row per step for the backward pass.</summary>
    public abstract int SavedWidth(int hidden);

    /// <summary>
    /// How many leading entries of b_hh may be added to the input side x W_ih^T + b_ih instead of the recurrent side:
    /// all of them, except for the GRU whose candidate multiplies (h W_hn^T + b_hn) by the reset gate.
    /// </summary>
    public virtual int FoldableHiddenBias(int hidden) => Gates * hidden;

    /// <summary>
    /// Whether the gradient of the recurrent pre-activation differs from that of the input pre-activation
    /// (GRU); when not, backward writes only the latter and both weight gradients use it.
    /// </summary>
    public virtual bool SeparateHiddenGradient => false;

    /// <summary>
    /// One step of one row. <paramref name="xg"/> (G*H) is x W_ih^T + b_ih plus the foldable part of b_hh;
    /// <paramref name="hg"/> (G*H) is h W_hh^T; <paramref name="hBias"/> is b_hh (its part beyond
    /// <see cref="FoldableHiddenBias"/> is added here) or empty when <paramref name="hg"/> already holds it.
    /// Writes the new h (and c) and what backward needs.
    /// </summary>
    public void ForwardRow(int hidden, ReadOnlySpan<float> xg, ReadOnlySpan<float> hg, ReadOnlySpan<float> hBias,
        ReadOnlySpan<float> hPrev, ReadOnlySpan<float> cPrev, Span<float> hNew, Span<float> cNew, Span<float> saved) =>
        ForwardUnits(hidden, 0, hidden, xg, hg, hBias, hPrev, cPrev, hNew, cNew, saved);

    /// <summary>
    /// <see cref="ForwardRow"/> for hidden units [<paramref name="u0"/>, <paramref name="u1"/>) only: the spans are whole
    /// rows, and only those units' gates, state and saved values are read and written, so two threads can share a row.
    /// </summary>
    public abstract void ForwardUnits(int hidden, int u0, int u1, ReadOnlySpan<float> xg, ReadOnlySpan<float> hg, ReadOnlySpan<float> hBias,
        ReadOnlySpan<float> hPrev, ReadOnlySpan<float> cPrev, Span<float> hNew, Span<float> cNew, Span<float> saved);

    /// <summary>
    /// Backward of one step of one row. On entry <paramref name="dh"/> is dL/dh_t and <paramref name="dc"/> dL/dc_t; on exit
    /// <paramref name="dh"/> holds the part of dL/dh_{t-1} that does not pass through W_hh, and <paramref name="dc"/> dL/dc_{t-1}.
    /// Writes the gradient of the input pre-activation to <paramref name="dxg"/> and, where it differs
    /// (<see cref="SeparateHiddenGradient"/>), that of the recurrent one to <paramref name="dhg"/>.
    /// </summary>
    public abstract void BackwardRow(int hidden, ReadOnlySpan<float> saved, ReadOnlySpan<float> hPrev,
        ReadOnlySpan<float> cPrev, ReadOnlySpan<float> cNew, ReadOnlySpan<float> hNew,
        Span<float> dh, Span<float> dc, Span<float> dxg, Span<float> dhg);
}
