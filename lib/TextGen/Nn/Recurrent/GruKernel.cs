// GRU cell math, PyTorch gate order r, z, n:
// r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r * h_n), h' = (1 - z) * n + z * h,
// where x_* = x W_i*^T + b_i* and h_* = h W_h*^T + b_h* (b_hn stays inside the product with r).
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace TextGen.Nn.Recurrent;

internal sealed class GruKernel : CellKernel
{
    public static readonly GruKernel Instance = new();

    [ThreadStatic] private static float[]? scratch;

    public override int Gates => 3;

    // Saved: r, z, n and the recurrent part h_n of the candidate.
    public override int SavedWidth(int hidden) => 4 * hidden;

    public override void Forward(int batch, int hidden, ReadOnlySpan<float> xg, ReadOnlySpan<float> hg,
        ReadOnlySpan<float> hPrev, ReadOnlySpan<float> cPrev, Span<float> hNew, Span<float> cNew, Span<float> saved)
    {
        int g3 = 3 * hidden, w = 4 * hidden;
        for (int b = 0; b < batch; b++)
        {
            var x = xg.Slice(b * g3, g3); var h = hg.Slice(b * g3, g3); var s = saved.Slice(b * w, w);
            var rz = s[..(2 * hidden)]; var n = s.Slice(2 * hidden, hidden); var hn = s.Slice(3 * hidden, hidden);
            TP.Add(x[..(2 * hidden)], h[..(2 * hidden)], rz);
            TP.Sigmoid(rz, rz);
            h.Slice(2 * hidden, hidden).CopyTo(hn);
            TP.MultiplyAdd(rz[..hidden], hn, x.Slice(2 * hidden, hidden), n);
            TP.Tanh(n, n);
            // h' = n + z * (h - n)
            var outRow = hNew.Slice(b * hidden, hidden);
            TP.Subtract(hPrev.Slice(b * hidden, hidden), n, outRow);
            TP.MultiplyAdd(outRow, rz.Slice(hidden, hidden), n, outRow);
        }
    }

    public override void Backward(int batch, int hidden, ReadOnlySpan<float> saved, ReadOnlySpan<float> hPrev,
        ReadOnlySpan<float> cPrev, ReadOnlySpan<float> cNew, ReadOnlySpan<float> hNew,
        Span<float> dh, Span<float> dc, Span<float> dxg, Span<float> dhg)
    {
        int g3 = 3 * hidden, w = 4 * hidden;
        if (scratch is null || scratch.Length < hidden) scratch = new float[hidden];
        var t = scratch.AsSpan(0, hidden);
        for (int b = 0; b < batch; b++)
        {
            var s = saved.Slice(b * w, w); var dx = dxg.Slice(b * g3, g3); var dhh = dhg.Slice(b * g3, g3);
            var r = s[..hidden]; var z = s.Slice(hidden, hidden); var n = s.Slice(2 * hidden, hidden); var hn = s.Slice(3 * hidden, hidden);
            var d = dh.Slice(b * hidden, hidden);
            var dr = dx[..hidden]; var dz = dx.Slice(hidden, hidden); var dn = dx.Slice(2 * hidden, hidden);
            // dn_pre = d * (1 - z) * (1 - n^2)
            TP.Multiply(n, n, t); TP.Subtract(1f, t, t); TP.Multiply(t, d, t);
            TP.Subtract(1f, z, dn); TP.Multiply(dn, t, dn);
            // dz_pre = d * (h - n) * z (1 - z)
            TP.Subtract(hPrev.Slice(b * hidden, hidden), n, dz); TP.Multiply(dz, d, dz);
            TP.Subtract(1f, z, t); TP.Multiply(t, z, t); TP.Multiply(dz, t, dz);
            // dr_pre = dn_pre * h_n * r (1 - r)
            TP.Subtract(1f, r, t); TP.Multiply(t, r, t); TP.Multiply(t, hn, t); TP.Multiply(t, dn, dr);
            dr.CopyTo(dhh[..hidden]);
            dz.CopyTo(dhh.Slice(hidden, hidden));
            TP.Multiply(dn, r, dhh.Slice(2 * hidden, hidden));
            TP.Multiply(d, z, d);
        }
    }
}
