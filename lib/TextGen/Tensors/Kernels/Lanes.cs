// Float vectors of 8 (AVX2) or 16 (AVX-512) lanes behind one interface, so that a kernel is written once and the
// JIT specialises it for each width. Lanes.Wide says which width this CPU runs at full speed. e^x and 1/x are
// the library's own: Vector512.Exp falls back to scalar code in .NET 10 (2.4x slower than 8 lanes), and the
// divider retires one 16-lane division every ~15 cycles on Zen 5, where the estimate and a Newton step take 3.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TextGen.Tensors.Kernels;

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

    /// <summary>Lane-wise minimum.</summary>
    static abstract TSelf Min(TSelf a, TSelf b);

    /// <summary>Each lane rounded to the nearest integer, ties to even.</summary>
    static abstract TSelf Round(TSelf x);

    /// <summary>2^n for lanes holding integers n in [-126, 127], built in the exponent bits.</summary>
    static abstract TSelf PowerOfTwo(TSelf n);

    /// <summary>1 / x from the 14-bit hardware estimate and one Newton step (exact division where the CPU has no such estimate).</summary>
    static abstract TSelf Reciprocal(TSelf x);

    /// <summary>Picks <paramref name="near"/> where |x| &lt; <paramref name="bound"/>, else <paramref name="far"/>.</summary>
    static abstract TSelf SelectNearZero(TSelf x, float bound, TSelf near, TSelf far);

    /// <summary>Picks <paramref name="positive"/> where x &gt; 0, else zero.</summary>
    static abstract TSelf WherePositive(TSelf x, TSelf positive);
}

/// <summary>The lane width this CPU runs at full speed, and e^x written once for both widths.</summary>
internal static class Lanes
{
    /// <summary>True when kernels run 16 lanes at a time (AVX-512), chosen from what the CPU reports.</summary>
    public static readonly bool Wide = Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <summary>Lanes per vector at that width: 16 or 8.</summary>
    public static int Width => Wide ? 16 : 8;

    /// <summary>e^x, within about 2 units in the last place; x is clamped to [-87.3, 88.3], where e^x is a normal float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Exp<V>(V x) where V : struct, IFloatLanes<V>
    {
        var c = V.Min(V.Max(x, V.Create(ExpLow)), V.Create(ExpHigh));
        var n = V.Round(c * V.Create(Log2E));
        var r = V.MultiplyAdd(n, V.Create(-Ln2Hi), c);
        r = V.MultiplyAdd(n, V.Create(-Ln2Lo), r);
        var p = V.MultiplyAdd(V.Create(P0), r, V.Create(P1));
        p = V.MultiplyAdd(p, r, V.Create(P2));
        p = V.MultiplyAdd(p, r, V.Create(P3));
        p = V.MultiplyAdd(p, r, V.Create(P4));
        p = V.MultiplyAdd(p, r, V.Create(P5));
        return V.MultiplyAdd(p, r * r, r + V.Create(1f)) * V.PowerOfTwo(n);
    }

    // e^x = 2^n e^r with n = round(x log2 e) and r = x - n ln 2 (ln 2 split in two so that r is exact), e^r from the
    // degree-7 minimax polynomial of Cephes' expf, 2^n built in the exponent bits. Both widths run these same steps.
    private const float ExpLow = -87.3f, ExpHigh = 88.3f, Log2E = 1.44269504088896341f, Ln2Hi = 0.693359375f, Ln2Lo = -2.12194440e-4f;
    private const float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f, P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;
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
    public static Lanes8 Min(Lanes8 a, Lanes8 b) => new(Vector256.Min(a.v, b.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 Round(Lanes8 x) => new(Vector256.Round(x.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 PowerOfTwo(Lanes8 n) => new(Vector256.ShiftLeft(Vector256.ConvertToInt32Native(n.v) + Vector256.Create(127), 23).AsSingle());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 Max(Lanes8 a, Lanes8 b) => new(Vector256.Max(a.v, b.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 Reciprocal(Lanes8 x)
    {
        // AVX2's 12-bit estimate leaves 8e-7 after one Newton step, which tanh near 0.15 turns into a lost digit:
        // without the 14-bit one of AVX-512VL, divide.
        if (!Avx512F.VL.IsSupported) return new(Vector256<float>.One / x.v);
        var estimate = Avx512F.VL.Reciprocal14(x.v);
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
    public static Lanes16 Min(Lanes16 a, Lanes16 b) => new(Vector512.Min(a.v, b.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes16 Round(Lanes16 x) => new(Vector512.Round(x.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes16 PowerOfTwo(Lanes16 n) => new(Vector512.ShiftLeft(Vector512.ConvertToInt32Native(n.v) + Vector512.Create(127), 23).AsSingle());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes16 Max(Lanes16 a, Lanes16 b) => new(Vector512.Max(a.v, b.v));

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
