// GRU cell math, PyTorch gate order r, z, n:
// r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r * h_n), h' = (1 - z) * n + z * h,
// where x_* = x W_i*^T + b_i* and h_* = h W_h*^T + b_h* (b_hn stays inside the product with r).
// One pass over the hidden units per row, a vector of units per iteration (Lanes.Wide picks 16 or 8 lanes),
// 8 lanes for what 16 leave, and a scalar loop for the rest.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TextGen.Tensors;
using static TextGen.Nn.Recurrent.GateMath;
using TextGen.Tensors.Kernels;

namespace TextGen.Nn.Recurrent;

internal sealed class GruKernel : CellKernel
{
    public static readonly GruKernel Instance = new();

    public override int Gates => CharRnnConfig.GatesOf(RecurrentArch.Gru);

    // Saved: r, z, n and the recurrent part h_n of the candidate (with b_hn).
    public override int SavedWidth(int hidden) => 4 * hidden;

    // b_hr and b_hz add to the pre-activations like b_ir and b_iz; b_hn is scaled by r.
    public override int FoldableHiddenBias(int hidden) => 2 * hidden;

    public override bool SeparateHiddenGradient => true;

    public override void ForwardUnits(int hidden, int u0, int u1, ReadOnlySpan<float> xg, ReadOnlySpan<float> hg, ReadOnlySpan<float> hBias,
        ReadOnlySpan<float> hPrev, ReadOnlySpan<float> cPrev, Span<float> hNew, Span<float> cNew, Span<float> saved)
    {
        int h = hidden;
        Require(3 * h, xg, hg, xg, hg);
        Require(4 * h, saved, saved, saved, saved);
        Require(h, hPrev, hNew, hNew, hNew);
        bool biased = !hBias.IsEmpty;
        if (biased) Require(3 * h, hBias, hBias, hBias, hBias);
        // Without a separate b_hn the candidate's bias row reads zeros: the saved h_n block is overwritten below anyway,
        // so point at a zeroed copy instead of branching in the loop.
        var rows = new GateRows(ref MemoryMarshal.GetReference(xg), ref MemoryMarshal.GetReference(hg),
            ref Unsafe.Add(ref MemoryMarshal.GetReference(biased ? hBias : Zeros(h)), biased ? 2 * h : 0),
            ref MemoryMarshal.GetReference(saved), ref MemoryMarshal.GetReference(hPrev), ref MemoryMarshal.GetReference(hNew));
        int j = Lanes.Wide ? Forward<Lanes16>(rows, h, u0, u1) : u0;
        j = Forward<Lanes8>(rows, h, j, u1);
        for (; j < u1; j++)
        {
            float rg = Sigmoid(xg[j] + hg[j]), z = Sigmoid(xg[h + j] + hg[h + j]);
            float hn = hg[2 * h + j] + (biased ? hBias[2 * h + j] : 0f);
            float n = MathF.Tanh(xg[2 * h + j] + rg * hn);
            saved[j] = rg; saved[h + j] = z; saved[2 * h + j] = n; saved[3 * h + j] = hn;
            hNew[j] = n + z * (hPrev[j] - n);
        }
    }

    [ThreadStatic] private static float[]? zeros;

    private static ReadOnlySpan<float> Zeros(int length) => (zeros is { } z && z.Length >= length ? z : zeros = new float[length]).AsSpan(0, length);

    // Forward: A xg, B hg, C b_hn, D saved, E h, F h'. Backward: A saved, B h, C dh, D dxg, E dhg.
    private static int Forward<V>(in GateRows p, int h, int j, int end) where V : struct, IFloatLanes<V>
    {
        for (; j + V.Count <= end; j += V.Count)
        {
            nuint jr = (nuint)j, jz = (nuint)(h + j), jn = (nuint)(2 * h + j), js = (nuint)(3 * h + j);
            var rg = Sigmoid(V.Load(ref p.A, jr) + V.Load(ref p.B, jr));
            var z = Sigmoid(V.Load(ref p.A, jz) + V.Load(ref p.B, jz));
            var hn = V.Load(ref p.B, jn) + V.Load(ref p.C, jr);
            var n = Tanh(V.Load(ref p.A, jn) + rg * hn);
            rg.Store(ref p.D, jr); z.Store(ref p.D, jz); n.Store(ref p.D, jn); hn.Store(ref p.D, js);
            // h' = n + z * (h - n)
            (n + z * (V.Load(ref p.E, jr) - n)).Store(ref p.F, jr);
        }
        return j;
    }

    public override void BackwardRow(int hidden, ReadOnlySpan<float> saved, ReadOnlySpan<float> hPrev,
        ReadOnlySpan<float> cPrev, ReadOnlySpan<float> cNew, ReadOnlySpan<float> hNew,
        Span<float> dh, Span<float> dc, Span<float> dxg, Span<float> dhg)
    {
        int h = hidden;
        Require(4 * h, saved, saved, saved, saved);
        Require(3 * h, dxg, dhg, dxg, dhg);
        Require(h, hPrev, dh, dh, dh);
        ref float dr = ref MemoryMarshal.GetReference(dhg);
        var rows = new GateRows(ref MemoryMarshal.GetReference(saved), ref MemoryMarshal.GetReference(hPrev), ref MemoryMarshal.GetReference(dh),
            ref MemoryMarshal.GetReference(dxg), ref dr, ref dr);
        int j = Lanes.Wide ? Backward<Lanes16>(rows, h, 0) : 0;
        j = Backward<Lanes8>(rows, h, j);
        for (; j < h; j++)
        {
            float rg = saved[j], z = saved[h + j], n = saved[2 * h + j], hn = saved[3 * h + j], d = dh[j];
            float dn = d * (1f - z) * (1f - n * n);
            float dz = d * (hPrev[j] - n) * z * (1f - z);
            float drg = dn * hn * rg * (1f - rg);
            dxg[j] = drg; dxg[h + j] = dz; dxg[2 * h + j] = dn;
            dhg[j] = drg; dhg[h + j] = dz; dhg[2 * h + j] = dn * rg;
            dh[j] = d * z;
        }
    }

    private static int Backward<V>(in GateRows p, int h, int j) where V : struct, IFloatLanes<V>
    {
        var one = V.Create(1f);
        for (; j + V.Count <= h; j += V.Count)
        {
            nuint jr = (nuint)j, jz = (nuint)(h + j), jn = (nuint)(2 * h + j), js = (nuint)(3 * h + j);
            var rg = V.Load(ref p.A, jr); var z = V.Load(ref p.A, jz);
            var n = V.Load(ref p.A, jn); var hn = V.Load(ref p.A, js);
            var d = V.Load(ref p.C, jr);
            var dn = d * (one - z) * (one - n * n);
            var dz = d * (V.Load(ref p.B, jr) - n) * z * (one - z);
            var drg = dn * hn * rg * (one - rg);
            drg.Store(ref p.D, jr); dz.Store(ref p.D, jz); dn.Store(ref p.D, jn);
            drg.Store(ref p.E, jr); dz.Store(ref p.E, jz); (dn * rg).Store(ref p.E, jn);
            (d * z).Store(ref p.C, jr);
        }
        return j;
    }
}
