// Activations for the gate kernels, written once over IFloatLanes (8 or 16 lanes; Lanes.Wide picks the width
// the CPU runs at full speed: 16 on AVX-512 parts, where Zen 5 and Xeon execute them natively and Zen 4 at the
// cost of two 8-lane halves). With the library's own e^x and reciprocal, an LSTM step's gate math went from a
// quarter of the step to about a tenth on Zen 5.
using System.Runtime.CompilerServices;
using TextGen.Tensors;
using TextGen.Tensors.Kernels;

namespace TextGen.Nn.Recurrent;

/// <summary>Sigmoid and tanh over <see cref="IFloatLanes{TSelf}"/>, accurate to a few units in the last place.</summary>
internal static class GateMath
{
    /// <summary>1 / (1 + e^-x); e^-x is clamped finite, so the lanes saturate to 0 and 1 without overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Sigmoid<V>(V x) where V : struct, IFloatLanes<V> => V.Reciprocal(V.Create(1f) + Lanes.Exp(-x));

    /// <summary>Logistic sigmoid in float, for the scalar tails of the kernels.</summary>
    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>
    /// tanh x as 1 - 2 / (e^2x + 1), which saturates cleanly; below |x| = 0.15 that form loses relative precision
    /// to cancellation, so the odd Taylor polynomial to x^7 (error under 1e-9 there) is used instead.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Tanh<V>(V x) where V : struct, IFloatLanes<V>
    {
        var one = V.Create(1f);
        var viaExp = one - V.Create(2f) * V.Reciprocal(Lanes.Exp(x + x) + one);
        var x2 = x * x;
        var poly = x * (one + x2 * (V.Create(-1f / 3f) + x2 * (V.Create(2f / 15f) + x2 * V.Create(-17f / 315f))));
        return V.SelectNearZero(x, 0.15f, poly, viaExp);
    }

    /// <summary>Throws unless every span holds at least <paramref name="length"/> floats: the kernels then read without bounds checks.</summary>
    public static void Require(int length, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, ReadOnlySpan<float> d)
    {
        if (a.Length < length || b.Length < length || c.Length < length || d.Length < length)
            throw new ArgumentException($"gate kernel: a buffer is shorter than the {length} values of one row");
    }
}

/// <summary>Up to six rows of one kernel call, as references to their first floats (what each one is, the kernel says).</summary>
internal readonly ref struct GateRows
{
    public readonly ref float A, B, C, D, E, F;

    public GateRows(ref float a, ref float b, ref float c, ref float d, ref float e, ref float f)
    {
        A = ref a; B = ref b; C = ref c; D = ref d; E = ref e; F = ref f;
    }
}
