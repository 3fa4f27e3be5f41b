// Elman RNN cell math: h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh) with act tanh or relu.
using TP = System.Numerics.Tensors.TensorPrimitives;

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
        TP.Add(xg[..n], hg[..n], hNew[..n]);
        if (relu) TP.Max(hNew[..n], 0f, hNew[..n]);
        else TP.Tanh(hNew[..n], hNew[..n]);
    }

    public override void Backward(int batch, int hidden, ReadOnlySpan<float> saved, ReadOnlySpan<float> hPrev,
        ReadOnlySpan<float> cPrev, ReadOnlySpan<float> cNew, ReadOnlySpan<float> hNew,
        Span<float> dh, Span<float> dc, Span<float> dxg, Span<float> dhg)
    {
        int n = batch * hidden;
        if (relu)
        {
            for (int k = 0; k < n; k++) dxg[k] = hNew[k] > 0 ? dh[k] : 0f;
        }
        else
        {
            TP.Multiply(hNew[..n], hNew[..n], dxg[..n]);
            TP.Subtract(1f, dxg[..n], dxg[..n]);
            TP.Multiply(dxg[..n], dh[..n], dxg[..n]);
        }
        dxg[..n].CopyTo(dhg);
        dh[..n].Clear();
    }
}
