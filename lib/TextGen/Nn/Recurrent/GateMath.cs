// Vectorised activations for the gate kernels, written once over a vector type (8 or 16 lanes) that the JIT
// specialises. The width is the widest the CPU runs at full speed: 16 lanes on AVX-512 parts (Zen 5 and Xeon
// execute them natively; on Zen 4 they cost what two 8-lane halves do), else 8. The library's own e^x and
// reciprocal replace Vector512.Exp (a scalar fallback in .NET 10, 2.4x slower than 8 lanes) and the
// divider (one 16-lane division every ~15 cycles on Zen 5), which together were a quarter of an LSTM step.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TextGen.Nn.Recurrent;

/// <summary>The vector operations the gate kernels use, implemented for 8 and 16 float lanes.</summary>
internal interface IGateVector<TSelf> where TSelf : struct, IGateVector<TSelf>
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    /// <summary>Reads <see cref="Count"/> floats at source[index].</summary>
    static abstract TSelf Load(ref float source, nuint index);

    /// <summary>Writes the lanes to destination[index].</summary>
    void Store(ref float destination, nuint index);

    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    static abstract TSelf Create(float value);

    static abstract TSelf operator +(TSelf a, TSelf b);

    static abstract TSelf operator -(TSelf a, TSelf b);

    static abstract TSelf operator -(TSelf a);

    static abstract TSelf operator *(TSelf a, TSelf b);

    /// <summary>Lane-wise maximum.</summary>
    static abstract TSelf Max(TSelf a, TSelf b);

    /// <summary>e^x, within about 2 units in the last place; x is clamped to [-87.3, 88.3], where e^x is a normal float.</summary>
    static abstract TSelf Exp(TSelf x);

    /// <summary>1 / x from the hardware estimate and one Newton step (exact division where there is no estimate).</summary>
    static abstract TSelf Reciprocal(TSelf x);

    /// <summary>Picks <paramref name="near"/> where |x| &lt; <paramref name="bound"/>, else <paramref name="far"/>.</summary>
    static abstract TSelf SelectNearZero(TSelf x, float bound, TSelf near, TSelf far);

    /// <summary>Picks <paramref name="positive"/> where x &gt; 0, else zero.</summary>
    static abstract TSelf WherePositive(TSelf x, TSelf positive);
}

/// <summary>Sigmoid and tanh over <see cref="IGateVector{TSelf}"/>, accurate to a few units in the last place.</summary>
internal static class GateMath
{
    /// <summary>True when the kernels run 16 lanes at a time (AVX-512), chosen from what the CPU reports.</summary>
    public static readonly bool Wide = Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <summary>1 / (1 + e^-x); e^-x is clamped finite, so the lanes saturate to 0 and 1 without overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Sigmoid<V>(V x) where V : struct, IGateVector<V> => V.Reciprocal(V.Create(1f) + V.Exp(-x));

    /// <summary>Logistic sigmoid in float, for the scalar tails of the kernels.</summary>
    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>
    /// tanh x as 1 - 2 / (e^2x + 1), which saturates cleanly; below |x| = 0.15 that form loses relative precision
    /// to cancellation, so the odd Taylor polynomial to x^7 (error under 1e-9 there) is used instead.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Tanh<V>(V x) where V : struct, IGateVector<V>
    {
        var one = V.Create(1f);
        var viaExp = one - V.Create(2f) * V.Reciprocal(V.Exp(x + x) + one);
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

    // e^x = 2^n e^r with n = round(x log2 e) and r = x - n ln 2 (ln 2 split in two so that r is exact), e^r from the
    // degree-7 minimax polynomial of Cephes' expf, 2^n built in the exponent bits. Both widths run these same steps.
    internal const float ExpLow = -87.3f, ExpHigh = 88.3f, Log2E = 1.44269504088896341f, Ln2Hi = 0.693359375f, Ln2Lo = -2.12194440e-4f;
    internal const float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f, P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;
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

/// <summary>Eight float lanes (AVX2).</summary>
internal readonly struct GateLanes8(Vector256<float> v) : IGateVector<GateLanes8>
{
    private readonly Vector256<float> v = v;

    public static int Count => 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GateLanes8 Load(ref float source, nuint index) => new(Vector256.LoadUnsafe(ref source, index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref float destination, nuint index) => v.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GateLanes8 Create(float value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GateLanes8 operator +(GateLanes8 a, GateLanes8 b) => new(a.v + b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GateLanes8 operator -(GateLanes8 a, GateLanes8 b) => new(a.v - b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GateLanes8 operator -(GateLanes8 a) => new(-a.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GateLanes8 operator *(GateLanes8 a, GateLanes8 b) => new(a.v * b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GateLanes8 Max(GateLanes8 a, GateLanes8 b) => new(Vector256.Max(a.v, b.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GateLanes8 Exp(GateLanes8 x)
    {
        var c = Vector256.Min(Vector256.Max(x.v, Vector256.Create(GateMath.ExpLow)), Vector256.Create(GateMath.ExpHigh));
        var n = Vector256.Round(c * Vector256.Create(GateMath.Log2E));
        var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-GateMath.Ln2Hi), c);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-GateMath.Ln2Lo), r);
        var p = Vector256.FusedMultiplyAdd(Vector256.Create(GateMath.P0), r, Vector256.Create(GateMath.P1));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(GateMath.P2));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(GateMath.P3));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(GateMath.P4));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(GateMath.P5));
        var er = Vector256.FusedMultiplyAdd(p, r * r, r + Vector256<float>.One);
        var scale = Vector256.ShiftLeft(Vector256.ConvertToInt32Native(n) + Vector256.Create(127), 23).AsSingle();
        return new(er * scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GateLanes8 Reciprocal(GateLanes8 x)
    {
        Vector256<float> estimate;
        if (Avx512F.VL.IsSupported) estimate = Avx512F.VL.Reciprocal14(x.v);
        else if (Avx.IsSupported) estimate = Avx.Reciprocal(x.v);
        else return new(Vector256<float>.One / x.v);
        var error = Vector256.FusedMultiplyAdd(-x.v, estimate, Vector256<float>.One);
        return new(Vector256.FusedMultiplyAdd(estimate, error, estimate));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GateLanes8 SelectNearZero(GateLanes8 x, float bound, GateLanes8 near, GateLanes8 far) =>
        new(Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(x.v), Vector256.Create(bound)), near.v, far.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GateLanes8 WherePositive(GateLanes8 x, GateLanes8 positive) =>
        new(Vector256.ConditionalSelect(Vector256.GreaterThan(x.v, Vector256<float>.Zero), positive.v, Vector256<float>.Zero));
}

/// <summary>Sixteen float lanes (AVX-512).</summary>
internal readonly struct GateLanes16(Vector512<float> v) : IGateVector<GateLanes16>
{
    private readonly Vector512<float> v = v;

    public static int Count => 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GateLanes16 Load(ref float source, nuint index) => new(Vector512.LoadUnsafe(ref source, index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref float destination, nuint index) => v.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GateLanes16 Create(float value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GateLanes16 operator +(GateLanes16 a, GateLanes16 b) => new(a.v + b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GateLanes16 operator -(GateLanes16 a, GateLanes16 b) => new(a.v - b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GateLanes16 operator -(GateLanes16 a) => new(-a.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GateLanes16 operator *(GateLanes16 a, GateLanes16 b) => new(a.v * b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GateLanes16 Max(GateLanes16 a, GateLanes16 b) => new(Vector512.Max(a.v, b.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GateLanes16 Exp(GateLanes16 x)
    {
        var c = Vector512.Min(Vector512.Max(x.v, Vector512.Create(GateMath.ExpLow)), Vector512.Create(GateMath.ExpHigh));
        var n = Vector512.Round(c * Vector512.Create(GateMath.Log2E));
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-GateMath.Ln2Hi), c);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-GateMath.Ln2Lo), r);
        var p = Vector512.FusedMultiplyAdd(Vector512.Create(GateMath.P0), r, Vector512.Create(GateMath.P1));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(GateMath.P2));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(GateMath.P3));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(GateMath.P4));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(GateMath.P5));
        var er = Vector512.FusedMultiplyAdd(p, r * r, r + Vector512<float>.One);
        var scale = Vector512.ShiftLeft(Vector512.ConvertToInt32Native(n) + Vector512.Create(127), 23).AsSingle();
        return new(er * scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GateLanes16 Reciprocal(GateLanes16 x)
    {
        var estimate = Avx512F.Reciprocal14(x.v);
        var error = Vector512.FusedMultiplyAdd(-x.v, estimate, Vector512<float>.One);
        return new(Vector512.FusedMultiplyAdd(estimate, error, estimate));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GateLanes16 SelectNearZero(GateLanes16 x, float bound, GateLanes16 near, GateLanes16 far) =>
        new(Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(x.v), Vector512.Create(bound)), near.v, far.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GateLanes16 WherePositive(GateLanes16 x, GateLanes16 positive) =>
        new(Vector512.ConditionalSelect(Vector512.GreaterThan(x.v, Vector512<float>.Zero), positive.v, Vector512<float>.Zero));
}
