// LSTM cell math, PyTorch gate order i, f, g, o:
// c' = f*c + i*g, h' = o*tanh(c'), with i, f, o sigmoids and g a tanh of (x W_ih^T + b_ih + h W_hh^T + b_hh).
// Each batch row is a handful of vectorised passes over spans of the hidden size.
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace TextGen.Nn.Recurrent;

internal sealed class LstmKernel : CellKernel
{
    public static readonly LstmKernel Instance = new();

    [ThreadStatic] private static float[]? scratch;

    public override int Gates => 4;

    public override bool HasCell => true;

    // Saved: the four gate activations i, f, g, o.
    public override int SavedWidth(int hidden) => 4 * hidden;

    public override void Forward(int batch, int hidden, ReadOnlySpan<float> xg, ReadOnlySpan<float> hg,
        ReadOnlySpan<float> hPrev, ReadOnlySpan<float> cPrev, Span<float> hNew, Span<float> cNew, Span<float> saved)
    {
        int g4 = 4 * hidden;
        for (int b = 0; b < batch; b++)
        {
            var s = saved.Slice(b * g4, g4);
            TP.Add(xg.Slice(b * g4, g4), hg.Slice(b * g4, g4), s);
            TP.Sigmoid(s[..(2 * hidden)], s[..(2 * hidden)]);
            TP.Tanh(s.Slice(2 * hidden, hidden), s.Slice(2 * hidden, hidden));
            TP.Sigmoid(s.Slice(3 * hidden, hidden), s.Slice(3 * hidden, hidden));
            var i = s[..hidden]; var f = s.Slice(hidden, hidden); var g = s.Slice(2 * hidden, hidden); var o = s.Slice(3 * hidden, hidden);
            var cn = cNew.Slice(b * hidden, hidden); var hn = hNew.Slice(b * hidden, hidden);
            TP.Multiply(f, cPrev.Slice(b * hidden, hidden), cn);
            TP.MultiplyAdd(i, g, cn, cn);
            TP.Tanh(cn, hn);
            TP.Multiply(o, hn, hn);
        }
    }

    public override void Backward(int batch, int hidden, ReadOnlySpan<float> saved, ReadOnlySpan<float> hPrev,
        ReadOnlySpan<float> cPrev, ReadOnlySpan<float> cNew, ReadOnlySpan<float> hNew,
        Span<float> dh, Span<float> dc, Span<float> dxg, Span<float> dhg)
    {
        int g4 = 4 * hidden;
        if (scratch is null || scratch.Length < 2 * hidden) scratch = new float[2 * hidden];
        var tc = scratch.AsSpan(0, hidden);
        var t = scratch.AsSpan(hidden, hidden);
        for (int b = 0; b < batch; b++)
        {
            var s = saved.Slice(b * g4, g4); var d = dxg.Slice(b * g4, g4);
            var i = s[..hidden]; var f = s.Slice(hidden, hidden); var g = s.Slice(2 * hidden, hidden); var o = s.Slice(3 * hidden, hidden);
            var di = d[..hidden]; var df = d.Slice(hidden, hidden); var dgg = d.Slice(2 * hidden, hidden); var dO = d.Slice(3 * hidden, hidden);
            var dhb = dh.Slice(b * hidden, hidden); var dcb = dc.Slice(b * hidden, hidden);
            TP.Tanh(cNew.Slice(b * hidden, hidden), tc);
            // do_pre = dh * tanh(c) * o * (1 - o)
            TP.Multiply(dhb, tc, dO);
            TP.Multiply(dO, o, dO);
            TP.Subtract(1f, o, t);
            TP.Multiply(dO, t, dO);
            // dc_t = dc + dh * o * (1 - tanh(c)^2)
            TP.Multiply(tc, tc, t);
            TP.Subtract(1f, t, t);
            TP.Multiply(t, o, t);
            TP.MultiplyAdd(t, dhb, dcb, dcb);
            // di_pre = dc * g * i(1-i); df_pre = dc * c_prev * f(1-f); dg_pre = dc * i * (1-g^2)
            TP.Subtract(1f, i, t); TP.Multiply(t, i, t); TP.Multiply(t, g, t); TP.Multiply(t, dcb, di);
            TP.Subtract(1f, f, t); TP.Multiply(t, f, t); TP.Multiply(t, cPrev.Slice(b * hidden, hidden), t); TP.Multiply(t, dcb, df);
            TP.Multiply(g, g, t); TP.Subtract(1f, t, t); TP.Multiply(t, i, t); TP.Multiply(t, dcb, dgg);
            // dc_{t-1} = dc_t * f; h_{t-1} reaches the output only through W_hh
            TP.Multiply(dcb, f, dcb);
            dhb.Clear();
        }
        dxg.CopyTo(dhg);
    }
}
