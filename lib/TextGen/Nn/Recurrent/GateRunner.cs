// Runs a cell's gate math for one time step over the batch, split between the cores when the step
// is large enough: batch rows are independent, so the split does not change any result.
using TextGen.Tensors;

namespace TextGen.Nn.Recurrent;

internal static class GateRunner
{
    /// <summary>Below this many hidden units in a step (batch x hidden) one thread is faster than two.</summary>
    private const int ParallelThreshold = 8192;

    private static Span<float> Part(float[] a, int offset, int length) => a.Length == 0 ? Span<float>.Empty : a.AsSpan(offset, length);

    /// <summary>Forward of step t: h and c hold time-major states, h_t at <paramref name="t"/> and h_{t+1} after it.</summary>
    public static void Forward(CellKernel k, int batch, int hidden, int t, float[] xg, float[] hg, float[] h, float[] c, float[] saved)
    {
        int gh = k.Gates * hidden, sw = k.SavedWidth(hidden), bh = batch * hidden;
        Split(batch, hidden, (b0, n) => k.Forward(n, hidden, xg.AsSpan(b0 * gh, n * gh), hg.AsSpan(b0 * gh, n * gh),
            h.AsSpan(t * bh + b0 * hidden, n * hidden), Part(c, t * bh + b0 * hidden, n * hidden),
            h.AsSpan((t + 1) * bh + b0 * hidden, n * hidden), Part(c, (t + 1) * bh + b0 * hidden, n * hidden),
            Part(saved, t * batch * sw + b0 * sw, n * sw)));
    }

    /// <summary>Backward of step t; <paramref name="dhg"/> is written at <paramref name="dhgOffset"/>.</summary>
    public static void Backward(CellKernel k, int batch, int hidden, int t, float[] saved, float[] h, float[] c,
        float[] dh, float[] dc, float[] dxg, float[] dhg, int dhgOffset)
    {
        int gh = k.Gates * hidden, sw = k.SavedWidth(hidden), bh = batch * hidden;
        Split(batch, hidden, (b0, n) => k.Backward(n, hidden, Part(saved, t * batch * sw + b0 * sw, n * sw),
            h.AsSpan(t * bh + b0 * hidden, n * hidden), Part(c, t * bh + b0 * hidden, n * hidden),
            Part(c, (t + 1) * bh + b0 * hidden, n * hidden), h.AsSpan((t + 1) * bh + b0 * hidden, n * hidden),
            dh.AsSpan(b0 * hidden, n * hidden), Part(dc, b0 * hidden, n * hidden),
            dxg.AsSpan(b0 * gh, n * gh), dhg.AsSpan(dhgOffset + b0 * gh, n * gh)));
    }

    private static void Split(int batch, int hidden, Action<int, int> body)
    {
        if (batch < 2 || batch * hidden < ParallelThreshold || Blas.MaxThreads < 2)
        {
            body(0, batch);
            return;
        }
        int half = batch / 2;
        Parallel.Invoke(() => body(0, half), () => body(half, batch - half));
    }
}
