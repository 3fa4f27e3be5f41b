// GRU cell math, PyTorch gate order r, z, n:
// r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r * h_n), h' = (1 - z) * n + z * h,
// where x_* = x W_i*^T + b_i* and h_* = h W_h*^T + b_h* (b_hn stays inside the product with r).
// One pass over the hidden units per row, eight units per iteration, a scalar loop for the rest.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using static TextGen.Nn.Recurrent.GateMath;

namespace TextGen.Nn.Recurrent;

internal sealed class GruKernel : CellKernel
{
    public static readonly GruKernel Instance = new();

    public override int Gates => RecurrentArch.Gru.Gates();

    // Saved: r, z, n and the recurrent part h_n of the candidate (with b_hn).
    public override int SavedWidth(int hidden) => 4 * hidden;

    // b_hr and b_hz add to the pre-activations like b_ir and b_iz; b_hn is scaled by r.
    public override int FoldableHiddenBias(int hidden) => 2 * hidden;

    public override bool SeparateHiddenGradient => true;

    public override void ForwardRow(int hidden, ReadOnlySpan<float> xg, ReadOnlySpan<float> hg, ReadOnlySpan<float> hBias,
        ReadOnlySpan<float> hPrev, ReadOnlySpan<float> cPrev, Span<float> hNew, Span<float> cNew, Span<float> saved)
    {
        int h = hidden;
        Require(3 * h, xg, hg, xg, hg);
        Require(4 * h, saved, saved, saved, saved);
        Require(h, hPrev, hNew, hNew, hNew);
        bool biased = !hBias.IsEmpty;
        if (biased) Require(3 * h, hBias, hBias, hBias, hBias);
        ref float x = ref MemoryMarshal.GetReference(xg);
        ref float r = ref MemoryMarshal.GetReference(hg);
        ref float bn = ref Unsafe.Add(ref MemoryMarshal.GetReference(hBias), biased ? 2 * h : 0);
        ref float s = ref MemoryMarshal.GetReference(saved);
        ref float hp = ref MemoryMarshal.GetReference(hPrev);
        ref float ho = ref MemoryMarshal.GetReference(hNew);
        int j = 0;
        for (; j + Width <= h; j += Width)
        {
            nuint jr = (nuint)j, jz = (nuint)(h + j), jn = (nuint)(2 * h + j), js = (nuint)(3 * h + j);
            var rg = Sigmoid(Vector256.LoadUnsafe(ref x, jr) + Vector256.LoadUnsafe(ref r, jr));
            var z = Sigmoid(Vector256.LoadUnsafe(ref x, jz) + Vector256.LoadUnsafe(ref r, jz));
            var hn = Vector256.LoadUnsafe(ref r, jn);
            if (biased) hn += Vector256.LoadUnsafe(ref bn, jr);
            var n = Tanh(Vector256.LoadUnsafe(ref x, jn) + rg * hn);
            rg.StoreUnsafe(ref s, jr); z.StoreUnsafe(ref s, jz); n.StoreUnsafe(ref s, jn); hn.StoreUnsafe(ref s, js);
            // h' = n + z * (h - n)
            (n + z * (Vector256.LoadUnsafe(ref hp, jr) - n)).StoreUnsafe(ref ho, jr);
        }
        for (; j < h; j++)
        {
            float rg = Sigmoid(xg[j] + hg[j]), z = Sigmoid(xg[h + j] + hg[h + j]);
            float hn = hg[2 * h + j] + (biased ? hBias[2 * h + j] : 0f);
            float n = MathF.Tanh(xg[2 * h + j] + rg * hn);
            saved[j] = rg; saved[h + j] = z; saved[2 * h + j] = n; saved[3 * h + j] = hn;
            hNew[j] = n + z * (hPrev[j] - n);
        }
    }

    public override void BackwardRow(int hidden, ReadOnlySpan<float> saved, ReadOnlySpan<float> hPrev,
        ReadOnlySpan<float> cPrev, ReadOnlySpan<float> cNew, ReadOnlySpan<float> hNew,
        Span<float> dh, Span<float> dc, Span<float> dxg, Span<float> dhg)
    {
        int h = hidden;
        Require(4 * h, saved, saved, saved, saved);
        Require(3 * h, dxg, dhg, dxg, dhg);
        Require(h, hPrev, dh, dh, dh);
        ref float s = ref MemoryMarshal.GetReference(saved);
        ref float hp = ref MemoryMarshal.GetReference(hPrev);
        ref float dd = ref MemoryMarshal.GetReference(dh);
        ref float dx = ref MemoryMarshal.GetReference(dxg);
        ref float dr = ref MemoryMarshal.GetReference(dhg);
        var one = Vector256<float>.One;
        int j = 0;
        for (; j + Width <= h; j += Width)
        {
            nuint jr = (nuint)j, jz = (nuint)(h + j), jn = (nuint)(2 * h + j), js = (nuint)(3 * h + j);
            var rg = Vector256.LoadUnsafe(ref s, jr); var z = Vector256.LoadUnsafe(ref s, jz);
            var n = Vector256.LoadUnsafe(ref s, jn); var hn = Vector256.LoadUnsafe(ref s, js);
            var d = Vector256.LoadUnsafe(ref dd, jr);
            var dn = d * (one - z) * (one - n * n);
            var dz = d * (Vector256.LoadUnsafe(ref hp, jr) - n) * z * (one - z);
            var drg = dn * hn * rg * (one - rg);
            drg.StoreUnsafe(ref dx, jr); dz.StoreUnsafe(ref dx, jz); dn.StoreUnsafe(ref dx, jn);
            drg.StoreUnsafe(ref dr, jr); dz.StoreUnsafe(ref dr, jz); (dn * rg).StoreUnsafe(ref dr, jn);
            (d * z).StoreUnsafe(ref dd, jr);
        }
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
}
