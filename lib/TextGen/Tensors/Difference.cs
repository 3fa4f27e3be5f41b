// How far apart two tensors (or arrays) are, for every comparison that decides whether numbers agree: the checks of
// learners' tensors, the lessons' claims, the parity tests. A NaN or ±∞ in either operand makes the distance +∞, so no
// tolerance ever accepts it; a plain loop with `if (d > max)` would forget a NaN as soon as a finite element follows.
using System.Numerics;

namespace TextGen.Tensors;

/// <summary>The largest element-wise difference of two tensors, and the relative error of one against a reference; non-finite values never agree.</summary>
public static class Difference
{
    /// <summary>
    /// max |a_i - b_i| over all elements; +∞ when any element of either is NaN or ±∞ (equal infinities included), so that
    /// <c>Largest(a, b) &lt;= tolerance</c> is false. Tensors of different shapes are an error.
    /// </summary>
    public static float Largest(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!a.Shape.SequenceEqual(b.Shape))
            throw new ArgumentException($"cannot compare tensors of shapes {a.ShapeString} and {b.ShapeString}: give tensors of the same shape");
        return Largest(a.Data, b.Data);
    }

    /// <summary>max |a_i - b_i| of two spans of the same length; +∞ when any element of either is NaN or ±∞.</summary>
    public static float Largest(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Largest<float>(a, b);

    /// <summary>max |a_i - b_i| in double precision; +∞ when any element of either is NaN or ±∞.</summary>
    public static double Largest(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => Largest<double>(a, b);

    private static T Largest<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : IFloatingPointIeee754<T>
    {
        SameLength(a.Length, b.Length);
        T max = T.Zero;
        for (int i = 0; i < a.Length; i++)
        {
            if (!T.IsFinite(a[i]) || !T.IsFinite(b[i])) return T.PositiveInfinity;
            // Two finite values can still differ by more than the largest finite one: that overflow is +∞ too.
            T d = T.Abs(a[i] - b[i]);
            if (d > max) max = d;
        }
        return max;
    }

    /// <summary>The largest <see cref="Largest(ReadOnlySpan{float}, ReadOnlySpan{float})"/> over pairs of arrays (several parameters' values); +∞ on any non-finite value.</summary>
    public static float Largest(IReadOnlyList<float[]> a, IReadOnlyList<float[]> b)
    {
        SameLength(a.Count, b.Count);
        float max = 0;
        for (int k = 0; k < a.Count; k++) max = MathF.Max(max, Largest(a[k], b[k]));
        return max;
    }

    /// <summary>
    /// ‖actual - expected‖₂ / ‖expected‖₂ (the denominator at least 1e-30, so a zero reference gives the absolute error
    /// scaled up); +∞ when any element of either is NaN or ±∞.
    /// </summary>
    public static double Relative(ReadOnlySpan<float> actual, ReadOnlySpan<double> expected)
    {
        SameLength(actual.Length, expected.Length);
        double diff = 0, norm = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            if (!float.IsFinite(actual[i]) || !double.IsFinite(expected[i])) return double.PositiveInfinity;
            double d = actual[i] - expected[i];
            diff += d * d;
            norm += expected[i] * expected[i];
        }
        double relative = Math.Sqrt(diff) / Math.Max(Math.Sqrt(norm), 1e-30);
        return double.IsFinite(relative) ? relative : double.PositiveInfinity;
    }

    /// <summary>|actual - expected| / |expected| of two numbers (the denominator at least 1e-30); +∞ when either is NaN or ±∞.</summary>
    public static double Relative(double actual, double expected) =>
        double.IsFinite(actual) && double.IsFinite(expected) ? Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), 1e-30) : double.PositiveInfinity;

    private static void SameLength(int a, int b)
    {
        if (a != b) throw new ArgumentException($"cannot compare {a} values with {b}: give both the same length");
    }
}
