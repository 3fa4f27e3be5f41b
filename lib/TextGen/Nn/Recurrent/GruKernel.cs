// GRU cell math, PyTorch gate order r, z, n:
// r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r * h_n), h' = (1 - z) * n + z * h,
// where x_* = x W_i*^T + b_i* and h_* = h W_h*^T + b_h* (b_hn stays inside the product with r).
namespace TextGen.Nn.Recurrent;

internal sealed class GruKernel : CellKernel
{
    public static readonly GruKernel Instance = new();

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
            var hp = hPrev.Slice(b * hidden, hidden); var hn = hNew.Slice(b * hidden, hidden);
            for (int j = 0; j < hidden; j++)
            {
                float r = Sigmoid(x[j] + h[j]);
                float z = Sigmoid(x[hidden + j] + h[hidden + j]);
                float hnj = h[2 * hidden + j];
                float n = MathF.Tanh(x[2 * hidden + j] + r * hnj);
                hn[j] = (1 - z) * n + z * hp[j];
                s[j] = r; s[hidden + j] = z; s[2 * hidden + j] = n; s[3 * hidden + j] = hnj;
            }
        }
    }

    public override void Backward(int batch, int hidden, ReadOnlySpan<float> saved, ReadOnlySpan<float> hPrev,
        ReadOnlySpan<float> cPrev, ReadOnlySpan<float> cNew, ReadOnlySpan<float> hNew,
        Span<float> dh, Span<float> dc, Span<float> dxg, Span<float> dhg)
    {
        int g3 = 3 * hidden, w = 4 * hidden;
        for (int b = 0; b < batch; b++)
        {
            var s = saved.Slice(b * w, w); var dx = dxg.Slice(b * g3, g3); var dhh = dhg.Slice(b * g3, g3);
            var hp = hPrev.Slice(b * hidden, hidden); var dhb = dh.Slice(b * hidden, hidden);
            for (int j = 0; j < hidden; j++)
            {
                float r = s[j], z = s[hidden + j], n = s[2 * hidden + j], hnj = s[3 * hidden + j];
                float d = dhb[j];
                float dnPre = d * (1 - z) * (1 - n * n);
                float dzPre = d * (hp[j] - n) * z * (1 - z);
                float drPre = dnPre * hnj * r * (1 - r);
                dx[j] = drPre; dx[hidden + j] = dzPre; dx[2 * hidden + j] = dnPre;
                dhh[j] = drPre; dhh[hidden + j] = dzPre; dhh[2 * hidden + j] = dnPre * r;
                dhb[j] = d * z;
            }
        }
    }
}
