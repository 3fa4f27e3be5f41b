// Chooses the next token straight from a logits buffer: the unknown token masked (unless allowed), repetition
// penalty, temperature, top-k, top-p, then a draw (or argmax), with scratch buffers reused so a token costs no allocation.
using TextGen.Tensors;
using TextGen.Text;

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
    /// <param name="options">The decoding settings.</param>
    /// <param name="unknownId">
    /// The id of the unknown token (see <see cref="UnknownIdOf"/>), masked unless <see cref="SamplingOptions.AllowUnknown"/>;
    /// null when the vocabulary has none.
    /// </param>
    public LogitsSampler(SamplingOptions options, int? unknownId = null)
    {
        options.Validate();
        if (unknownId < 0) throw new ArgumentOutOfRangeException(nameof(unknownId), $"unknown-token id {unknownId} must be 0 or more (or null when there is none)");
        this.options = options;
        generator = new Generator(options.Seed);
        MaskedId = options.AllowUnknown ? null : unknownId;
    }

    /// <summary>The id whose logit is set to -infinity before every draw (the unknown token), or null when nothing is masked.</summary>
    public int? MaskedId { get; }

    /// <summary>The id of &lt;unk&gt; in a tokenizer's vocabulary, or null (a character vocabulary has none).</summary>
    public static int? UnknownIdOf(ITokenizer tokenizer) =>
        tokenizer.Vocabulary.TryGetId(WordTokenizer.UnknownToken, out int id) ? id : null;

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
    /// The distribution the next draw uses: the unknown token masked (probability 0, the rest renormalised over the
    /// allowed tokens), penalised, tempered, filtered by top-k and top-p, renormalised. The span is valid until the next call.
    /// </summary>
    public ReadOnlySpan<float> Distribution(ReadOnlySpan<float> logits, ReadOnlySpan<int> history = default)
    {
        int v = logits.Length;
        if (probs.Length != v) { probs = new float[v]; order = new int[v]; seen = new bool[v]; }
        logits.CopyTo(probs);
        if (MaskedId is int masked)
        {
            if (masked >= v) throw new ArgumentException($"the unknown token's id {masked} is outside the model's {v} logits: the tokenizer and the model come from different checkpoints");
            if (v == 1) throw new ArgumentException("the only token this model can write is <unk>; set AllowUnknown (--allow-unknown) to let it");
            // Before the penalty, temperature and filters: top-k and top-p then choose among the allowed tokens only.
            probs[masked] = float.NegativeInfinity;
        }
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
