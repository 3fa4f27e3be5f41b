// A seeded random source (xoshiro256**), so that every random draw in the library is reproducible.
namespace TextGen.Tensors;

/// <summary>Deterministic random numbers from an explicit seed, like <c>torch.Generator().manual_seed(seed)</c>.</summary>
public sealed class Generator
{
    private ulong s0, s1, s2, s3;
    private double? spareNormal;

    /// <summary>Creates a generator whose sequence is fixed by <paramref name="seed"/>.</summary>
    public Generator(ulong seed)
    {
        Seed = seed;
        // SplitMix64 spreads any seed (0 included) over the 256-bit state.
        ulong x = seed;
        s0 = SplitMix(ref x); s1 = SplitMix(ref x); s2 = SplitMix(ref x); s3 = SplitMix(ref x);
    }

    /// <summary>The seed this generator was created with.</summary>
    public ulong Seed { get; }

    /// <summary>
    /// A distinct, reproducible seed for step <paramref name="step"/> of a run seeded with <paramref name="seed"/>: what every engine
    /// draws a step's dropout masks from, so that a run resumed at any step draws the masks an uninterrupted one would.
    /// </summary>
    public static ulong SeedForStep(ulong seed, int step) => seed ^ (0x9E3779B97F4A7C15UL * (ulong)(step + 1));

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 24 bits of precision.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform in [0, 1) with 53 bits of precision.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, <paramref name="maxExclusive"/>).</summary>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive), "must be positive");
        return (int)((NextUInt64() >> 33) % (ulong)maxExclusive);
    }

    /// <summary>Standard normal draw (Box–Muller).</summary>
    public double NextNormal()
    {
        if (spareNormal is { } s) { spareNormal = null; return s; }
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        spareNormal = r * Math.Sin(2 * Math.PI * u2);
        return r * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Fills with uniform values in [low, high).</summary>
    public void FillUniform(Span<float> destination, float low, float high)
    {
        float span = high - low;
        for (int i = 0; i < destination.Length; i++) destination[i] = low + span * NextFloat();
    }

    /// <summary>Fills with normal values.</summary>
    public void FillNormal(Span<float> destination, float mean, float std)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = mean + std * (float)NextNormal();
    }

    /// <summary>The full internal state, for checkpoints that resume a run exactly.</summary>
    public ulong[] GetState() => [s0, s1, s2, s3];

    /// <summary>Restores a state from <see cref="GetState"/>.</summary>
    public void SetState(ReadOnlySpan<ulong> state)
    {
        if (state.Length != 4) throw new ArgumentException("generator state must have 4 words");
        s0 = state[0]; s1 = state[1]; s2 = state[2]; s3 = state[3];
        spareNormal = null;
    }
}
