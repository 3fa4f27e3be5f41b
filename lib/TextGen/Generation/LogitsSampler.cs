// Chooses the next token straight from a logits buffer: repetition penalty, temperature, top-k,
// top-p, then a draw (or argmax), with scratch buffers reused so a token costs no allocation.
using TextGen.Tensors;

namespace TextGen.Generation;

/// <summary>Picks token ids from logits under <see cref="SamplingOptions"/>; seeded and reproducible.</summary>
public sealed class LogitsSampler
{
    private readonly SamplingOptions options;
    private readonly Generator generator;
    private float[] probs = [];
    private int[] order = [];
    private bool[] seen = [];

    /// <summary>Creates a sampler; the options are validated here.</summary>
    public LogitsSampler(SamplingOptions options)
    {
        options.Validate();
        this.options = options;
        generator = new Generator(options.Seed);
    }

    /// <summary>The next token given the logits and the tokens generated so far (for the repetition penalty).</summary>
    public int Sample(ReadOnlySpan<float> logits, ReadOnlySpan<int> history = default)
    {
        var p = Distribution(logits, history);
        if (options.Strategy == DecodingStrategy.Greedy) return ArgMax(p);
        double u = generator.NextDouble(), acc = 0;
        int last = 0;
        for (int i = 0; i < p.Length; i++)
        {
            if (p[i] <= 0) continue;
            acc += p[i];
            last = i;
            if (u < acc) return i;
        }
        return last;
    }

    /// <summary>
    /// The distribution the next draw uses: penalised, tempered, filtered by top-k and top-p, renormalised.
    /// The span is valid until the next call.
    /// </summary>
    public ReadOnlySpan<float> Distribution(ReadOnlySpan<float> logits, ReadOnlySpan<int> history = default)
    {
        int v = logits.Length;
        if (probs.Length != v) { probs = new float[v]; order = new int[v]; seen = new bool[v]; }
        logits.CopyTo(probs);
        if (options.RepetitionPenalty != 1f && !history.IsEmpty)
        {
            Array.Clear(seen);
            foreach (var t in history) if ((uint)t < (uint)v) seen[t] = true;
            for (int i = 0; i < v; i++)
                if (seen[i]) probs[i] = probs[i] > 0 ? probs[i] / options.RepetitionPenalty : probs[i] * options.RepetitionPenalty;
        }
        float invT = options.Strategy == DecodingStrategy.Greedy ? 1f : 1f / options.Temperature;
        for (int i = 0; i < v; i++) probs[i] *= invT;
        Ops.SoftmaxRow(probs, probs);
        if (options.TopK > 0 && options.TopK < v) KeepTopK(options.TopK);
        if (options.TopP < 1f) KeepTopP(options.TopP);
        return probs;
    }

    private void SortOrder()
    {
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var p = probs;
        Array.Sort(order, (a, b) => p[b] != p[a] ? p[b].CompareTo(p[a]) : a.CompareTo(b));
    }

    private void KeepTopK(int k)
    {
        SortOrder();
        for (int r = k; r < order.Length; r++) probs[order[r]] = 0;
        Renormalize();
    }

    private void KeepTopP(float p)
    {
        SortOrder();
        double acc = 0;
        int r = 0;
        for (; r < order.Length; r++)
        {
            acc += probs[order[r]];
            if (acc >= p) { r++; break; }
        }
        for (; r < order.Length; r++) probs[order[r]] = 0;
        Renormalize();
    }

    private void Renormalize()
    {
        double s = 0;
        foreach (var x in probs) s += x;
        for (int i = 0; i < probs.Length; i++) probs[i] = (float)(probs[i] / s);
    }

    /// <summary>Index of the largest value (the first on ties).</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}
