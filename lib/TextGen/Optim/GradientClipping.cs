// GradientClipping: rescale or clamp gradients in place before the optimizer step, as
// torch.nn.utils.clip_grad_norm_ and clip_grad_value_; recurrent nets need it against exploding gradients.
using System.Numerics;
using TextGen.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace TextGen.Optim;

/// <summary>Gradient clipping by total norm or by value, as <c>torch.nn.utils</c>.</summary>
public static class GradientClipping
{
    /// <summary>Scales all gradients together so that their total norm is at most <paramref name="maxNorm"/>; returns the norm before clipping.</summary>
    /// <param name="parameters">Parameters whose gradients are clipped; those without a gradient are skipped.</param>
    /// <param name="maxNorm">The largest allowed total norm, &gt;= 0.</param>
    /// <param name="normType">The p of the p-norm (&gt; 0), or <see cref="float.PositiveInfinity"/> for the largest absolute value.</param>
    /// <returns>The total norm of all gradients viewed as one vector, before clipping; 0 when no parameter has a gradient.</returns>
    /// <remarks>
    /// total = (sum over all gradient elements of |g|^p)^(1/p), accumulated in double. Every gradient is multiplied
    /// by coef = maxNorm / (total + 1e-6) when coef &lt; 1. A NaN or infinite total is returned as is and the
    /// gradients are left alone, so the caller (the trainer) can detect it and skip the step.
    /// </remarks>
    public static float ClipGradNorm(IEnumerable<Tensor> parameters, float maxNorm, float normType = 2f)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm >= 0f))
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, $"clip_grad_norm: max norm {maxNorm} must be >= 0 (a typical value is 1 or 5)");
        if (!(normType > 0f))
            throw new ArgumentOutOfRangeException(nameof(normType), normType, $"clip_grad_norm: norm type {normType} must be > 0 (2 for the Euclidean norm, float.PositiveInfinity for the max norm)");

        var grads = new List<Tensor>();
        foreach (var p in parameters)
            if (p?.Grad is { } g) grads.Add(g);
        if (grads.Count == 0) return 0f;

        double total = float.IsPositiveInfinity(normType) ? MaxAbs(grads) : PNorm(grads, normType);
        float totalNorm = (float)total;
        if (!float.IsFinite(totalNorm)) return totalNorm;

        float coef = (float)(maxNorm / (total + 1e-6));
        if (coef < 1f)
            foreach (var g in grads) ScaleInPlace(g.Span, coef);
        return totalNorm;
    }

    /// <summary>Clamps every gradient element to [-<paramref name="clipValue"/>, <paramref name="clipValue"/>] in place.</summary>
    /// <param name="parameters">Parameters whose gradients are clipped; those without a gradient are skipped.</param>
    /// <param name="clipValue">The largest allowed absolute value, &gt;= 0.</param>
    /// <remarks>NaN elements stay NaN, as <c>torch.clamp</c> leaves them.</remarks>
    public static void ClipGradValue(IEnumerable<Tensor> parameters, float clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(clipValue >= 0f))
            throw new ArgumentOutOfRangeException(nameof(clipValue), clipValue, $"clip_grad_value: clip value {clipValue} must be >= 0");
        foreach (var p in parameters)
        {
            if (p?.Grad is not { } g) continue;
            var s = g.Span;
            for (int i = 0; i < s.Length; i++)
            {
                float x = s[i];
                if (x > clipValue) s[i] = clipValue;
                else if (x < -clipValue) s[i] = -clipValue;
            }
        }
    }

    private static double MaxAbs(List<Tensor> grads)
    {
        double max = 0;
        foreach (var g in grads)
            foreach (float x in g.Span)
            {
                double a = Math.Abs((double)x);
                if (double.IsNaN(a)) return double.NaN;
                if (a > max) max = a;
            }
        return max;
    }

    private static double PNorm(List<Tensor> grads, double p)
    {
        double sum = 0;
        if (p == 2)
        {
            foreach (var g in grads) sum += SumOfSquares(g.Span);
            return Math.Sqrt(sum);
        }
        foreach (var g in grads)
            foreach (float x in g.Span) sum += Math.Pow(Math.Abs((double)x), p);
        return Math.Pow(sum, 1 / p);
    }

    // Squares widened to double before summing, so millions of small terms do not lose precision.
    private static double SumOfSquares(ReadOnlySpan<float> x)
    {
        double sum = 0;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var acc = Vector<double>.Zero;
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector.Widen(new Vector<float>(x[i..]), out var lo, out var hi);
                acc += lo * lo + hi * hi;
            }
            sum = Vector.Sum(acc);
        }
        for (; i < x.Length; i++) sum += (double)x[i] * x[i];
        return sum;
    }

    private static void ScaleInPlace(Span<float> values, float factor) => TensorPrimitives.Multiply(values, factor, values);
}
