// Vectorised activations for the gate kernels, eight lanes at a time. 256-bit vectors run at full rate on
// every AVX2 machine, and on AVX-512 parts such as Zen 4 as fast as 512-bit ones for this mix.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TextGen.Nn.Recurrent;

/// <summary>Sigmoid and tanh on <see cref="Vector256{T}"/> of float, accurate to a few units in the last place.</summary>
internal static class GateMath
{
    /// <summary>Lanes per vector.</summary>
    public const int Width = 8;

    /// <summary>1 / (1 + e^-x): saturates to 0 and 1 without overflow trouble (e^-x may be infinite).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-x));

    /// <summary>Logistic sigmoid in float, for the scalar tails of the kernels.</summary>
    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>
    /// tanh x as 1 - 2 / (e^2x + 1), which saturates cleanly; below |x| = 0.15 that form loses relative precision
    /// to cancellation, so the odd Taylor polynomial to x^7 (error under 1e-9 there) is used instead.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var one = Vector256<float>.One;
        var viaExp = one - Vector256.Create(2f) / (Vector256.Exp(x + x) + one);
        var x2 = x * x;
        var poly = x * (one + x2 * (Vector256.Create(-1f / 3f) + x2 * (Vector256.Create(2f / 15f) + x2 * Vector256.Create(-17f / 315f))));
        return Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(x), Vector256.Create(0.15f)), poly, viaExp);
    }

    /// <summary>Throws unless every span holds at least <paramref name="length"/> floats: the kernels then read without bounds checks.</summary>
    public static void Require(int length, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, ReadOnlySpan<float> d)
    {
        if (a.Length < length || b.Length < length || c.Length < length || d.Length < length)
            throw new ArgumentException($"gate kernel: a buffer is shorter than the {length} values of one row");
    }
}
