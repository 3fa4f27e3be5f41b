// LSTM cell math, PyTorch gate order i, f, g, o:
// c' = f*c + i*g, h' = o*tanh(c'), with i, f, o sigmoids and g a tanh of (x W_ih^T + b_ih + h W_hh^T + b_hh).
namespace TextGen.Nn.Recurrent;

internal sealed class LstmKernel : CellKernel
{
    public static readonly LstmKernel Instance = new();

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
            var x = xg.Slice(b * g4, g4); var h = hg.Slice(b * g4, g4); var s = saved.Slice(b * g4, g4);
            var cp = cPrev.Slice(b * hidden, hidden); var cn = cNew.Slice(b * hidden, hidden); var hn = hNew.Slice(b * hidden, hidden);
            for (int j = 0; j < hidden; j++)
            {
                float i = Sigmoid(x[j] + h[j]);
                float f = Sigmoid(x[hidden + j] + h[hidden + j]);
                float g = MathF.Tanh(x[2 * hidden + j] + h[2 * hidden + j]);
                float o = Sigmoid(x[3 * hidden + j] + h[3 * hidden + j]);
                float c = f * cp[j] + i * g;
                cn[j] = c;
                hn[j] = o * MathF.Tanh(c);
                s[j] = i; s[hidden + j] = f; s[2 * hidden + j] = g; s[3 * hidden + j] = o;
            }
        }
    }

    public override void Backward(int batch, int hidden, ReadOnlySpan<float> saved, ReadOnlySpan<float> hPrev,
        ReadOnlySpan<float> cPrev, ReadOnlySpan<float> cNew, ReadOnlySpan<float> hNew,
        Span<float> dh, Span<float> dc, Span<float> dxg, Span<float> dhg)
    {
        int g4 = 4 * hidden;
        for (int b = 0; b < batch; b++)
        {
            var s = saved.Slice(b * g4, g4); var dg = dxg.Slice(b * g4, g4);
            var cp = cPrev.Slice(b * hidden, hidden); var cn = cNew.Slice(b * hidden, hidden);
            var dhb = dh.Slice(b * hidden, hidden); var dcb = dc.Slice(b * hidden, hidden);
            for (int j = 0; j < hidden; j++)
            {
                float i = s[j], f = s[hidden + j], g = s[2 * hidden + j], o = s[3 * hidden + j];
                float tc = MathF.Tanh(cn[j]);
                float dhj = dhb[j];
                float dcj = dcb[j] + dhj * o * (1 - tc * tc);
                dg[j] = dcj * g * i * (1 - i);
                dg[hidden + j] = dcj * cp[j] * f * (1 - f);
                dg[2 * hidden + j] = dcj * i * (1 - g * g);
                dg[3 * hidden + j] = dhj * tc * o * (1 - o);
                dcb[j] = dcj * f;
                dhb[j] = 0f; // h_{t-1} reaches the output only through W_hh
            }
        }
        dxg.CopyTo(dhg);
    }
}
