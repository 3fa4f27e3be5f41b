// Elman RNN cell math: h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh) with act tanh or relu.
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using static TextGen.Nn.Recurrent.GateMath;

namespace TextGen.Nn.Recurrent;

internal sealed class RnnKernel(bool relu) : CellKernel
{
    public static readonly RnnKernel Tanh = new(false);
    public static readonly RnnKernel Relu = new(true);

    public override int Gates => RecurrentArch.Rnn.Gates();

    // The new hidden state is all backward needs, and the layer keeps it anyway.
    public override int SavedWidth(int hidden) => 0;

    public override void ForwardRow(int hidden, ReadOnlySpan<float> xg, ReadOnlySpan<float> hg, ReadOnlySpan<float> hBias,
        ReadOnlySpan<float> hPrev, ReadOnlySpan<float> cPrev, Span<float> hNew, Span<float> cNew, Span<float> saved)
    {
        int h = hidden;
        Require(h, xg, hg, hNew, hNew);
        ref float x = ref MemoryMarshal.GetReference(xg);
        ref float r = ref MemoryMarshal.GetReference(hg);
        ref float o = ref MemoryMarshal.GetReference(hNew);
        int j = 0;
        for (; j + Width <= h; j += Width)
        {
            var a = Vector256.LoadUnsafe(ref x, (nuint)j) + Vector256.LoadUnsafe(ref r, (nuint)j);
            (relu ? Vector256.Max(a, Vector256<float>.Zero) : GateMath.Tanh(a)).StoreUnsafe(ref o, (nuint)j);
        }
        for (; j < h; j++)
        {
            float a = xg[j] + hg[j];
            hNew[j] = relu ? MathF.Max(a, 0f) : MathF.Tanh(a);
        }
    }

    public override void BackwardRow(int hidden, ReadOnlySpan<float> saved, ReadOnlySpan<float> hPrev,
        ReadOnlySpan<float> cPrev, ReadOnlySpan<float> cNew, ReadOnlySpan<float> hNew,
        Span<float> dh, Span<float> dc, Span<float> dxg, Span<float> dhg)
    {
        int h = hidden;
        Require(h, hNew, dh, dxg, dxg);
        ref float y = ref MemoryMarshal.GetReference(hNew);
        ref float d = ref MemoryMarshal.GetReference(dh);
        ref float dx = ref MemoryMarshal.GetReference(dxg);
        int j = 0;
        for (; j + Width <= h; j += Width)
        {
            var yv = Vector256.LoadUnsafe(ref y, (nuint)j);
            var dv = Vector256.LoadUnsafe(ref d, (nuint)j);
            var g = relu
                ? Vector256.ConditionalSelect(Vector256.GreaterThan(yv, Vector256<float>.Zero), dv, Vector256<float>.Zero)
                : dv * (Vector256<float>.One - yv * yv);
            g.StoreUnsafe(ref dx, (nuint)j);
            Vector256<float>.Zero.StoreUnsafe(ref d, (nuint)j);
        }
        for (; j < h; j++)
        {
            dxg[j] = relu ? (hNew[j] > 0 ? dh[j] : 0f) : dh[j] * (1f - hNew[j] * hNew[j]);
            dh[j] = 0f;
        }
    }
}
