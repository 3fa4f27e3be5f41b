// Elman RNN cell math: h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh) with act tanh or relu.
using System.Runtime.InteropServices;
using TextGen.Tensors;
using static TextGen.Nn.Recurrent.GateMath;
using TextGen.Tensors.Kernels;

namespace TextGen.Nn.Recurrent;

internal sealed class RnnKernel(bool relu) : CellKernel
{
    public static readonly RnnKernel Tanh = new(false);
    public static readonly RnnKernel Relu = new(true);

    public override int Gates => CharRnnConfig.GatesOf(RecurrentArch.Rnn);

    // The new hidden state is all backward needs, and the layer keeps it anyway.
    public override int SavedWidth(int hidden) => 0;

    public override void ForwardUnits(int hidden, int u0, int u1, ReadOnlySpan<float> xg, ReadOnlySpan<float> hg, ReadOnlySpan<float> hBias,
        ReadOnlySpan<float> hPrev, ReadOnlySpan<float> cPrev, Span<float> hNew, Span<float> cNew, Span<float> saved)
    {
        int h = hidden;
        Require(h, xg, hg, hNew, hNew);
        ref float o = ref MemoryMarshal.GetReference(hNew);
        var rows = new GateRows(ref MemoryMarshal.GetReference(xg), ref MemoryMarshal.GetReference(hg), ref o, ref o, ref o, ref o);
        int j = Lanes.Wide ? Forward<Lanes16>(rows, h, u0, u1) : u0;
        j = Forward<Lanes8>(rows, h, j, u1);
        for (; j < u1; j++)
        {
            float a = xg[j] + hg[j];
            hNew[j] = relu ? MathF.Max(a, 0f) : MathF.Tanh(a);
        }
    }

    // Forward: A xg, B hg, C h'. Backward: A h', B dh, C dxg.
    private int Forward<V>(in GateRows p, int h, int j, int end) where V : struct, IFloatLanes<V>
    {
        for (; j + V.Count <= end; j += V.Count)
        {
            var a = V.Load(ref p.A, (nuint)j) + V.Load(ref p.B, (nuint)j);
            (relu ? V.Max(a, V.Create(0f)) : GateMath.Tanh(a)).Store(ref p.C, (nuint)j);
        }
        return j;
    }

    public override void BackwardRow(int hidden, ReadOnlySpan<float> saved, ReadOnlySpan<float> hPrev,
        ReadOnlySpan<float> cPrev, ReadOnlySpan<float> cNew, ReadOnlySpan<float> hNew,
        Span<float> dh, Span<float> dc, Span<float> dxg, Span<float> dhg)
    {
        int h = hidden;
        Require(h, hNew, dh, dxg, dxg);
        ref float dx = ref MemoryMarshal.GetReference(dxg);
        var rows = new GateRows(ref MemoryMarshal.GetReference(hNew), ref MemoryMarshal.GetReference(dh), ref dx, ref dx, ref dx, ref dx);
        int j = Lanes.Wide ? Backward<Lanes16>(rows, h, 0) : 0;
        j = Backward<Lanes8>(rows, h, j);
        for (; j < h; j++)
        {
            dxg[j] = relu ? (hNew[j] > 0 ? dh[j] : 0f) : dh[j] * (1f - hNew[j] * hNew[j]);
            dh[j] = 0f;
        }
    }

    private int Backward<V>(in GateRows p, int h, int j) where V : struct, IFloatLanes<V>
    {
        for (; j + V.Count <= h; j += V.Count)
        {
            var yv = V.Load(ref p.A, (nuint)j);
            var dv = V.Load(ref p.B, (nuint)j);
            (relu ? V.WherePositive(yv, dv) : dv * (V.Create(1f) - yv * yv)).Store(ref p.C, (nuint)j);
            V.Create(0f).Store(ref p.B, (nuint)j);
        }
        return j;
    }
}
