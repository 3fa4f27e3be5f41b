// A Markov chain over tokens: counts of what follows each context of n-1 tokens, with add-k
// smoothing. The baseline a recurrent model must beat, and the "fixed-order memory" of lesson 11.
using TextGen.Nn;

namespace TextGen.Generation;

/// <summary>An n-gram language model that predicts the next token from the previous n-1 tokens.</summary>
public sealed class NGramModel : IStepModel
{
    private readonly Dictionary<long, int[]> counts = [];
    private readonly int[] unigram;

    private NGramModel(int order, int vocabularySize, float smoothing)
    {
        Order = order;
        VocabularySize = vocabularySize;
        Smoothing = smoothing;
        unigram = new int[vocabularySize];
    }

    /// <summary>n: the context is the previous n-1 tokens.</summary>
    public int Order { get; }

    /// <inheritdoc />
    public int VocabularySize { get; }

    /// <summary>The k of add-k smoothing: every next token counts k times more than seen.</summary>
    public float Smoothing { get; }

    /// <summary>Distinct contexts seen in training.</summary>
    public int ContextCount => counts.Count;

    /// <summary>Counts every (context, next token) pair of <paramref name="ids"/>.</summary>
    public static NGramModel Fit(ReadOnlySpan<int> ids, int vocabularySize, int order, float smoothing = 0.1f)
    {
        if (order < 1 || order > 8) throw new ArgumentOutOfRangeException(nameof(order), $"n-gram order {order} must be between 1 and 8");
        if (!(smoothing > 0)) throw new ArgumentOutOfRangeException(nameof(smoothing), $"smoothing {smoothing} must be positive, or unseen tokens get probability 0");
        if (ids.Length < order) throw new ArgumentException($"n-gram: {ids.Length} tokens are fewer than the order {order}");
        var m = new NGramModel(order, vocabularySize, smoothing);
        for (int i = 0; i < ids.Length; i++)
        {
            int next = ids[i];
            if ((uint)next >= (uint)vocabularySize) throw new ArgumentOutOfRangeException(nameof(ids), $"token id {next} is outside the vocabulary of size {vocabularySize}");
            m.unigram[next]++;
            if (i < order - 1) continue;
            long key = m.Key(ids.Slice(i - order + 1, order - 1));
            if (!m.counts.TryGetValue(key, out var row)) m.counts[key] = row = new int[vocabularySize];
            row[next]++;
        }
        return m;
    }

    private long Key(ReadOnlySpan<int> context)
    {
        long key = 0;
        foreach (var t in context) key = key * (VocabularySize + 1) + t + 1;
        return key;
    }

    /// <summary>Writes log-probabilities of the next token after <paramref name="context"/> (its last n-1 tokens count).</summary>
    public void LogProbabilities(ReadOnlySpan<int> context, Span<float> destination)
    {
        var ctx = context.Length >= Order - 1 ? context[(context.Length - (Order - 1))..] : context;
        int[]? row = ctx.Length == Order - 1 && counts.TryGetValue(Key(ctx), out var r) ? r : null;
        double total = 0;
        for (int v = 0; v < VocabularySize; v++) total += (row?[v] ?? 0) + Smoothing;
        for (int v = 0; v < VocabularySize; v++) destination[v] = (float)Math.Log(((row?[v] ?? 0) + Smoothing) / total);
    }

    /// <summary>Mean cross-entropy (nats per token) of predicting every token of <paramref name="ids"/> after the first n-1.</summary>
    public double Loss(ReadOnlySpan<int> ids)
    {
        var lp = new float[VocabularySize];
        double sum = 0;
        int n = 0;
        for (int i = Order - 1; i < ids.Length; i++)
        {
            LogProbabilities(ids.Slice(i - (Order - 1), Order - 1), lp);
            sum -= lp[ids[i]];
            n++;
        }
        return n == 0 ? throw new ArgumentException("n-gram loss: text shorter than the order") : sum / n;
    }

    /// <inheritdoc />
    public StepState CreateState() => new(new float[Math.Max(1, Order - 1)], []) { Position = 0 };

    /// <inheritdoc />
    public void Feed(StepState state, ReadOnlySpan<int> tokens, Span<float> logits)
    {
        // The state keeps the last n-1 tokens (as floats) in H, oldest first.
        var h = state.H;
        foreach (var t in tokens)
        {
            if (h.Length > 1) Array.Copy(h, 1, h, 0, h.Length - 1);
            h[^1] = t;
            state.Position++;
        }
        int have = Math.Min(state.Position, Order - 1);
        Span<int> ctx = stackalloc int[have];
        for (int i = 0; i < have; i++) ctx[i] = (int)h[h.Length - have + i];
        LogProbabilities(ctx, logits);
    }
}
