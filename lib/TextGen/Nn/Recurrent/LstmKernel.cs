// LSTM cell math, PyTorch gate order i, f, g, o:
// c' = f*c + i*g, h' = o*tanh(c'), with i, f, o sigmoids and g a tanh of (x W_ih^T + b_ih + h W_hh^T + b_hh).
// One pass over the hidden units per row, a vector of units per iteration (Lanes.Wide picks 16 or 8 lanes),
// 8 lanes for what 16 leave, and a scalar loop for the rest.
using System.Runtime.InteropServices;
using TextGen.Tensors;
using static TextGen.Nn.Recurrent.GateMath;
using TextGen.Tensors.Kernels;

namespace TextGen.Nn.Recurrent;

internal sealed class LstmKernel : CellKernel
{
    public static readonly LstmKernel Instance = new();

    public override int Gates => CharRnnConfig.GatesOf(RecurrentArch.Lstm);

    public override bool HasCell => true;

    // Saved: the four gate activations i, f, g, o.
    public override int SavedWidth(int hidden) => 4 * hidden;

    public override void ForwardUnits(int hidden, int u0, int u1, ReadOnlySpan<float> xg, ReadOnlySpan<float> hg, ReadOnlySpan<float> hBias,
        ReadOnlySpan<float> hPrev, ReadOnlySpan<float> cPrev, Span<float> hNew, Span<float> cNew, Span<float> saved)
    {
        int h = hidden;
        Require(4 * h, xg, hg, saved, saved);
        Require(h, cPrev, hNew, cNew, cNew);
        var rows = new GateRows(ref MemoryMarshal.GetReference(xg), ref MemoryMarshal.GetReference(hg), ref MemoryMarshal.GetReference(saved),
            ref MemoryMarshal.GetReference(cPrev), ref MemoryMarshal.GetReference(cNew), ref MemoryMarshal.GetReference(hNew));
        int j = Lanes.Wide ? Forward<Lanes16>(rows, h, u0, u1) : u0;
        j = Forward<Lanes8>(rows, h, j, u1);
        for (; j < u1; j++)
        {
            float i = Sigmoid(xg[j] + hg[j]), f = Sigmoid(xg[h + j] + hg[h + j]);
            float g = MathF.Tanh(xg[2 * h + j] + hg[2 * h + j]), o = Sigmoid(xg[3 * h + j] + hg[3 * h + j]);
            float c = f * cPrev[j] + i * g;
            saved[j] = i; saved[h + j] = f; saved[2 * h + j] = g; saved[3 * h + j] = o;
            cNew[j] = c;
            hNew[j] = o * MathF.Tanh(c);
        }
    }

    // Forward: A xg, B hg, C saved, D c, E c', F h'. Backward: A saved, B dxg, C c, D c', E dh, F dc.
    private static int Forward<V>(in GateRows p, int h, int j, int end) where V : struct, IFloatLanes<V>
    {
        for (; j + V.Count <= end; j += V.Count)
        {
            nuint ji = (nuint)j, jf = (nuint)(h + j), jg = (nuint)(2 * h + j), jo = (nuint)(3 * h + j);
            var i = Sigmoid(V.Load(ref p.A, ji) + V.Load(ref p.B, ji));
            var f = Sigmoid(V.Load(ref p.A, jf) + V.Load(ref p.B, jf));
            var g = Tanh(V.Load(ref p.A, jg) + V.Load(ref p.B, jg));
            var o = Sigmoid(V.Load(ref p.A, jo) + V.Load(ref p.B, jo));
            var c = f * V.Load(ref p.D, ji) + i * g;
            i.Store(ref p.C, ji); f.Store(ref p.C, jf); g.Store(ref p.C, jg); o.Store(ref p.C, jo);
            c.Store(ref p.E, ji);
            (o * Tanh(c)).Store(ref p.F, ji);
        }
        return j;
    }

    public override void BackwardRow(int hidden, ReadOnlySpan<float> saved, ReadOnlySpan<float> hPrev,
        ReadOnlySpan<float> cPrev, ReadOnlySpan<float> cNew, ReadOnlySpan<float> hNew,
        Span<float> dh, Span<float> dc, Span<float> dxg, Span<float> dhg)
    {
        int h = hidden;
        Require(4 * h, saved, dxg, dxg, dxg);
        Require(h, cPrev, cNew, dh, dc);
        var rows = new GateRows(ref MemoryMarshal.GetReference(saved), ref MemoryMarshal.GetReference(dxg), ref MemoryMarshal.GetReference(cPrev),
            ref MemoryMarshal.GetReference(cNew), ref MemoryMarshal.GetReference(dh), ref MemoryMarshal.GetReference(dc));
        int j = Lanes.Wide ? Backward<Lanes16>(rows, h, 0) : 0;
        j = Backward<Lanes8>(rows, h, j);
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

    private static int Backward<V>(in GateRows p, int h, int j) where V : struct, IFloatLanes<V>
    {
        var one = V.Create(1f);
        for (; j + V.Count <= h; j += V.Count)
        {
            nuint ji = (nuint)j, jf = (nuint)(h + j), jg = (nuint)(2 * h + j), jo = (nuint)(3 * h + j);
            var i = V.Load(ref p.A, ji); var f = V.Load(ref p.A, jf);
            var g = V.Load(ref p.A, jg); var o = V.Load(ref p.A, jo);
            var tc = Tanh(V.Load(ref p.D, ji));
            var dhv = V.Load(ref p.E, ji);
            // dc_t = dc + dh * o * (1 - tanh(c)^2)
            var dct = V.Load(ref p.F, ji) + dhv * o * (one - tc * tc);
            (dhv * tc * o * (one - o)).Store(ref p.B, jo);
            (dct * g * i * (one - i)).Store(ref p.B, ji);
            (dct * V.Load(ref p.C, ji) * f * (one - f)).Store(ref p.B, jf);
            (dct * i * (one - g * g)).Store(ref p.B, jg);
            // dc_{t-1} = dc_t * f; h_{t-1} reaches the output only through W_hh
            (dct * f).Store(ref p.F, ji);
            V.Create(0f).Store(ref p.E, ji);
        }
        return j;
    }
}
