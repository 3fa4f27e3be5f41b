// AdamKernel: the fused per-parameter update of Adam, with L2 in the gradient (Adam) or decoupled decay (AdamW).
// One pass reads p, g, m, v once and writes p, m, v once; PyTorch does the same math in six passes.
using System.Numerics;

namespace TextGen.Optim;

/// <summary>The element-wise Adam update on spans, with the scalars precomputed per step.</summary>
internal static class AdamKernel
{
    /// <summary>Advances the parameter's own step counter and applies one Adam/AdamW update in place.</summary>
    /// <param name="p">Parameter values, updated.</param>
    /// <param name="g">Gradient.</param>
    /// <param name="m">First moment (exp_avg), updated.</param>
    /// <param name="v">Second moment (exp_avg_sq), updated.</param>
    /// <param name="step">The parameter's step count, a float as PyTorch 1.13 keeps it; incremented.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="beta1">First-moment decay.</param>
    /// <param name="beta2">Second-moment decay.</param>
    /// <param name="eps">Added to the denominator.</param>
    /// <param name="l2">Adam's weight decay, added to the gradient as <c>l2 * p</c>.</param>
    /// <param name="decoupled">AdamW's weight decay, applied as <c>p *= 1 - lr * decoupled</c> before the update.</param>
    /// <remarks>
    /// As torch.optim.Adam/AdamW in PyTorch 1.13 (step t after increment, scalars in double, then float32):
    /// <code>
    /// p  = p * (1 - lr * decoupled)
    /// g  = g + l2 * p
    /// m  = beta1 * m + (1 - beta1) * g
    /// v  = beta2 * v + (1 - beta2) * g * g
    /// stepSize = lr / (1 - beta1^t);  denom = sqrt(v) / sqrt(1 - beta2^t) + eps
    /// p  = p - stepSize * m / denom
    /// </code>
    /// </remarks>
    public static void Update(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, Span<float> step,
        double lr, double beta1, double beta2, double eps, double l2, double decoupled)
    {
        step[0] += 1f;
        double t = step[0];
        double biasCorrection1 = 1 - Math.Pow(beta1, t);
        double biasCorrection2 = 1 - Math.Pow(beta2, t);
        float stepSize = (float)(lr / biasCorrection1);
        float bc2Sqrt = (float)Math.Sqrt(biasCorrection2);
        float decay = (float)(1 - lr * decoupled);
        float wd = (float)l2, b1 = (float)beta1, b2 = (float)beta2, e = (float)eps;
        float a1 = (float)(1 - beta1), a2 = (float)(1 - beta2);

        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vDecay = new Vector<float>(decay); var vWd = new Vector<float>(wd);
            var vB1 = new Vector<float>(b1); var vB2 = new Vector<float>(b2);
            var vA1 = new Vector<float>(a1); var vA2 = new Vector<float>(a2);
            var vEps = new Vector<float>(e); var vBc2 = new Vector<float>(bc2Sqrt); var vStep = new Vector<float>(stepSize);
            for (; i <= p.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var vp = new Vector<float>(p[i..]) * vDecay;
                var vg = new Vector<float>(g[i..]) + vWd * vp;
                var vm = new Vector<float>(m[i..]) * vB1 + vA1 * vg;
                var vv = new Vector<float>(v[i..]) * vB2 + vA2 * vg * vg;
                var denom = Vector.SquareRoot(vv) / vBc2 + vEps;
                vm.CopyTo(m[i..]);
                vv.CopyTo(v[i..]);
                (vp - vStep * vm / denom).CopyTo(p[i..]);
            }
        }
        for (; i < p.Length; i++)
        {
            float pi = p[i] * decay;
            float gi = g[i] + wd * pi;
            float mi = m[i] * b1 + a1 * gi;
            float vi = v[i] * b2 + a2 * gi * gi;
            float denom = MathF.Sqrt(vi) / bc2Sqrt + e;
            m[i] = mi;
            v[i] = vi;
            p[i] = pi - stepSize * mi / denom;
        }
    }
}
