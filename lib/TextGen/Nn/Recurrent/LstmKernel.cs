// LSTM cell math, PyTorch gate order i, f, g, o:
// c' = f*c + i*g, h' = o*tanh(c'), with i, f, o sigmoids and g a tanh of (x W_ih^T + b_ih + h W_hh^T + b_hh).
// One pass over the hidden units per row, eight units per iteration, a scalar loop for the rest.
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using static TextGen.Nn.Recurrent.GateMath;

namespace TextGen.Nn.Recurrent;

internal sealed class LstmKernel : CellKernel
{
    public static readonly LstmKernel Instance = new();

    public override int Gates => RecurrentArch.Lstm.Gates();

    public override bool HasCell => true;

    // Saved: the four gate activations i, f, g, o.
    public override int SavedWidth(int hidden) => 4 * hidden;

    public override void ForwardRow(int hidden, ReadOnlySpan<float> xg, ReadOnlySpan<float> hg, ReadOnlySpan<float> hBias,
        ReadOnlySpan<float> hPrev, ReadOnlySpan<float> cPrev, Span<float> hNew, Span<float> cNew, Span<float> saved)
    {
        int h = hidden, g4 = 4 * hidden;
        Require(g4, xg, hg, saved, saved);
        Require(h, cPrev, hNew, cNew, cNew);
        ref float x = ref MemoryMarshal.GetReference(xg);
        ref float r = ref MemoryMarshal.GetReference(hg);
        ref float s = ref MemoryMarshal.GetReference(saved);
        ref float cp = ref MemoryMarshal.GetReference(cPrev);
        ref float cn = ref MemoryMarshal.GetReference(cNew);
        ref float hn = ref MemoryMarshal.GetReference(hNew);
        int j = 0;
        for (; j + Width <= h; j += Width)
        {
            nuint ji = (nuint)j, jf = (nuint)(h + j), jg = (nuint)(2 * h + j), jo = (nuint)(3 * h + j);
            var i = Sigmoid(Vector256.LoadUnsafe(ref x, ji) + Vector256.LoadUnsafe(ref r, ji));
            var f = Sigmoid(Vector256.LoadUnsafe(ref x, jf) + Vector256.LoadUnsafe(ref r, jf));
            var g = Tanh(Vector256.LoadUnsafe(ref x, jg) + Vector256.LoadUnsafe(ref r, jg));
            var o = Sigmoid(Vector256.LoadUnsafe(ref x, jo) + Vector256.LoadUnsafe(ref r, jo));
            var c = f * Vector256.LoadUnsafe(ref cp, ji) + i * g;
            i.StoreUnsafe(ref s, ji); f.StoreUnsafe(ref s, jf); g.StoreUnsafe(ref s, jg); o.StoreUnsafe(ref s, jo);
            c.StoreUnsafe(ref cn, ji);
            (o * Tanh(c)).StoreUnsafe(ref hn, ji);
        }
        for (; j < h; j++)
        {
            float i = Sigmoid(xg[j] + hg[j]), f = Sigmoid(xg[h + j] + hg[h + j]);
            float g = MathF.Tanh(xg[2 * h + j] + hg[2 * h + j]), o = Sigmoid(xg[3 * h + j] + hg[3 * h + j]);
            float c = f * cPrev[j] + i * g;
            saved[j] = i; saved[h + j] = f; saved[2 * h + j] = g; saved[3 * h + j] = o;
            cNew[j] = c;
            hNew[j] = o * MathF.Tanh(c);
        }
    }

    public override void BackwardRow(int hidden, ReadOnlySpan<float> saved, ReadOnlySpan<float> hPrev,
        ReadOnlySpan<float> cPrev, ReadOnlySpan<float> cNew, ReadOnlySpan<float> hNew,
        Span<float> dh, Span<float> dc, Span<float> dxg, Span<float> dhg)
    {
        int h = hidden, g4 = 4 * hidden;
        Require(g4, saved, dxg, dxg, dxg);
        Require(h, cPrev, cNew, dh, dc);
        ref float s = ref MemoryMarshal.GetReference(saved);
        ref float d = ref MemoryMarshal.GetReference(dxg);
        ref float cp = ref MemoryMarshal.GetReference(cPrev);
        ref float cn = ref MemoryMarshal.GetReference(cNew);
        ref float dhr = ref MemoryMarshal.GetReference(dh);
        ref float dcr = ref MemoryMarshal.GetReference(dc);
        var one = Vector256<float>.One;
        int j = 0;
        for (; j + Width <= h; j += Width)
        {
            nuint ji = (nuint)j, jf = (nuint)(h + j), jg = (nuint)(2 * h + j), jo = (nuint)(3 * h + j);
            var i = Vector256.LoadUnsafe(ref s, ji); var f = Vector256.LoadUnsafe(ref s, jf);
            var g = Vector256.LoadUnsafe(ref s, jg); var o = Vector256.LoadUnsafe(ref s, jo);
            var tc = Tanh(Vector256.LoadUnsafe(ref cn, ji));
            var dhv = Vector256.LoadUnsafe(ref dhr, ji);
            // dc_t = dc + dh * o * (1 - tanh(c)^2)
            var dct = Vector256.LoadUnsafe(ref dcr, ji) + dhv * o * (one - tc * tc);
            (dhv * tc * o * (one - o)).StoreUnsafe(ref d, jo);
            (dct * g * i * (one - i)).StoreUnsafe(ref d, ji);
            (dct * Vector256.LoadUnsafe(ref cp, ji) * f * (one - f)).StoreUnsafe(ref d, jf);
            (dct * i * (one - g * g)).StoreUnsafe(ref d, jg);
            // dc_{t-1} = dc_t * f; h_{t-1} reaches the output only through W_hh
            (dct * f).StoreUnsafe(ref dcr, ji);
            Vector256<float>.Zero.StoreUnsafe(ref dhr, ji);
        }
        for (; j < h; j++)
        {
            float i = saved[j], f = saved[h + j], g = saved[2 * h + j], o = saved[3 * h + j];
            float tc = MathF.Tanh(cNew[j]), dhv = dh[j];
            float dct = dc[j] + dhv * o * (1f - tc * tc);
            dxg[3 * h + j] = dhv * tc * o * (1f - o);
            dxg[j] = dct * g * i * (1f - i);
            dxg[h + j] = dct * cPrev[j] * f * (1f - f);
            dxg[2 * h + j] = dct * i * (1f - g * g);
            dc[j] = dct * f;
            dh[j] = 0f;
        }
    }
}
