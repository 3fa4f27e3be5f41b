// Elman RNN cell math: h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh) with act tanh or relu.
namespace TextGen.Nn.Recurrent;

internal sealed class RnnKernel(bool relu) : CellKernel
{
    public static readonly RnnKernel Tanh = new(false);
    public static readonly RnnKernel Relu = new(true);

    public override int Gates => 1;

    // The new hidden state is all backward needs, and the layer keeps it anyway.
    public override int SavedWidth(int hidden) => 0;

    public override void Forward(int batch, int hidden, ReadOnlySpan<float> xg, ReadOnlySpan<float> hg,
        ReadOnlySpan<float> hPrev, ReadOnlySpan<float> cPrev, Span<float> hNew, Span<float> cNew, Span<float> saved)
    {
        int n = batch * hidden;
        for (int k = 0; k < n; k++)
        {
            float pre = xg[k] + hg[k];
            hNew[k] = relu ? MathF.Max(pre, 0f) : MathF.Tanh(pre);
        }
    }

    public override void Backward(int batch, int hidden, ReadOnlySpan<float> saved, ReadOnlySpan<float> hPrev,
        ReadOnlySpan<float> cPrev, ReadOnlySpan<float> cNew, ReadOnlySpan<float> hNew,
        Span<float> dh, Span<float> dc, Span<float> dxg, Span<float> dhg)
    {
        int n = batch * hidden;
        for (int k = 0; k < n; k++)
        {
            float h = hNew[k];
            float d = relu ? (h > 0 ? dh[k] : 0f) : dh[k] * (1 - h * h);
            dxg[k] = d;
            dhg[k] = d;
            dh[k] = 0f;
        }
    }
}
