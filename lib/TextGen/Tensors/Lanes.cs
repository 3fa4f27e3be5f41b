// Float vectors of 8 (AVX2) or 16 (AVX-512) lanes behind one interface, so that a kernel is written once and the
// JIT specialises it for each width. Lanes.Wide says which width this CPU runs at full speed. e^x and 1/x are
// the library's own: Vector512.Exp falls back to scalar code in .NET 10 (2.4x slower than 8 lanes), and the
// divider retires one 16-lane division every ~15 cycles on Zen 5, where the estimate and a Newton step take 3.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TextGen.Tensors;

/// <summary>The vector operations of the lane-width-generic kernels (gate math, batch-1 products), implemented for 8 and 16 float lanes.</summary>
internal interface IFloatLanes<TSelf> where TSelf : struct, IFloatLanes<TSelf>
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

    /// <summary>a * b + c, rounded once.</summary>
    static abstract TSelf MultiplyAdd(TSelf a, TSelf b, TSelf c);

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

/// <summary>The lane width this CPU runs at full speed, and the constants both widths share.</summary>
internal static class Lanes
{
    /// <summary>True when kernels run 16 lanes at a time (AVX-512), chosen from what the CPU reports.</summary>
    public static readonly bool Wide = Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    // e^x = 2^n e^r with n = round(x log2 e) and r = x - n ln 2 (ln 2 split in two so that r is exact), e^r from the
    // degree-7 minimax polynomial of Cephes' expf, 2^n built in the exponent bits. Both widths run these same steps.
    public const float ExpLow = -87.3f, ExpHigh = 88.3f, Log2E = 1.44269504088896341f, Ln2Hi = 0.693359375f, Ln2Lo = -2.12194440e-4f;
    public const float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f, P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;
}

/// <summary>Eight float lanes (AVX2).</summary>
internal readonly struct Lanes8(Vector256<float> v) : IFloatLanes<Lanes8>
{
    private readonly Vector256<float> v = v;

    public static int Count => 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 Load(ref float source, nuint index) => new(Vector256.LoadUnsafe(ref source, index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref float destination, nuint index) => v.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 Create(float value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 operator +(Lanes8 a, Lanes8 b) => new(a.v + b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 operator -(Lanes8 a, Lanes8 b) => new(a.v - b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 operator -(Lanes8 a) => new(-a.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 operator *(Lanes8 a, Lanes8 b) => new(a.v * b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 MultiplyAdd(Lanes8 a, Lanes8 b, Lanes8 c) => new(Vector256.FusedMultiplyAdd(a.v, b.v, c.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 Max(Lanes8 a, Lanes8 b) => new(Vector256.Max(a.v, b.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 Exp(Lanes8 x)
    {
        var c = Vector256.Min(Vector256.Max(x.v, Vector256.Create(Lanes.ExpLow)), Vector256.Create(Lanes.ExpHigh));
        var n = Vector256.Round(c * Vector256.Create(Lanes.Log2E));
        var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Lanes.Ln2Hi), c);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Lanes.Ln2Lo), r);
        var p = Vector256.FusedMultiplyAdd(Vector256.Create(Lanes.P0), r, Vector256.Create(Lanes.P1));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(Lanes.P2));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(Lanes.P3));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(Lanes.P4));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(Lanes.P5));
        var er = Vector256.FusedMultiplyAdd(p, r * r, r + Vector256<float>.One);
        var scale = Vector256.ShiftLeft(Vector256.ConvertToInt32Native(n) + Vector256.Create(127), 23).AsSingle();
        return new(er * scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 Reciprocal(Lanes8 x)
    {
        Vector256<float> estimate;
        if (Avx512F.VL.IsSupported) estimate = Avx512F.VL.Reciprocal14(x.v);
        else if (Avx.IsSupported) estimate = Avx.Reciprocal(x.v);
        else return new(Vector256<float>.One / x.v);
        var error = Vector256.FusedMultiplyAdd(-x.v, estimate, Vector256<float>.One);
        return new(Vector256.FusedMultiplyAdd(estimate, error, estimate));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 SelectNearZero(Lanes8 x, float bound, Lanes8 near, Lanes8 far) =>
        new(Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(x.v), Vector256.Create(bound)), near.v, far.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 WherePositive(Lanes8 x, Lanes8 positive) =>
        new(Vector256.ConditionalSelect(Vector256.GreaterThan(x.v, Vector256<float>.Zero), positive.v, Vector256<float>.Zero));
}

/// <summary>Sixteen float lanes (AVX-512).</summary>
internal readonly struct Lanes16(Vector512<float> v) : IFloatLanes<Lanes16>
{
    private readonly Vector512<float> v = v;

    public static int Count => 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes16 Load(ref float source, nuint index) => new(Vector512.LoadUnsafe(ref source, index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref float destination, nuint index) => v.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes16 Create(float value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes16 operator +(Lanes16 a, Lanes16 b) => new(a.v + b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes16 operator -(Lanes16 a, Lanes16 b) => new(a.v - b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes16 operator -(Lanes16 a) => new(-a.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes16 operator *(Lanes16 a, Lanes16 b) => new(a.v * b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes16 MultiplyAdd(Lanes16 a, Lanes16 b, Lanes16 c) => new(Vector512.FusedMultiplyAdd(a.v, b.v, c.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes16 Max(Lanes16 a, Lanes16 b) => new(Vector512.Max(a.v, b.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes16 Exp(Lanes16 x)
    {
        var c = Vector512.Min(Vector512.Max(x.v, Vector512.Create(Lanes.ExpLow)), Vector512.Create(Lanes.ExpHigh));
        var n = Vector512.Round(c * Vector512.Create(Lanes.Log2E));
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Lanes.Ln2Hi), c);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Lanes.Ln2Lo), r);
        var p = Vector512.FusedMultiplyAdd(Vector512.Create(Lanes.P0), r, Vector512.Create(Lanes.P1));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(Lanes.P2));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(Lanes.P3));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(Lanes.P4));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(Lanes.P5));
        var er = Vector512.FusedMultiplyAdd(p, r * r, r + Vector512<float>.One);
        var scale = Vector512.ShiftLeft(Vector512.ConvertToInt32Native(n) + Vector512.Create(127), 23).AsSingle();
        return new(er * scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes16 Reciprocal(Lanes16 x)
    {
        var estimate = Avx512F.Reciprocal14(x.v);
        var error = Vector512.FusedMultiplyAdd(-x.v, estimate, Vector512<float>.One);
        return new(Vector512.FusedMultiplyAdd(estimate, error, estimate));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes16 SelectNearZero(Lanes16 x, float bound, Lanes16 near, Lanes16 far) =>
        new(Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(x.v), Vector512.Create(bound)), near.v, far.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes16 WherePositive(Lanes16 x, Lanes16 positive) =>
        new(Vector512.ConditionalSelect(Vector512.GreaterThan(x.v, Vector512<float>.Zero), positive.v, Vector512<float>.Zero));
}
