// Beam search: keep the best few partial sequences by total log-probability, expand each by every
// allowed token, and keep the best again. Width 1 is greedy decoding.
using TextGen.Nn;
using TextGen.Tensors;

namespace TextGen.Generation;

/// <summary>A finished beam: its new tokens, total log-probability and length-normalised score.</summary>
public sealed record BeamResult(int[] Tokens, double LogProbability, double Score);

/// <summary>Beam search over an <see cref="IStepModel"/>.</summary>
public static class BeamSearch
{
    /// <summary>
    /// Generates <paramref name="length"/> tokens after <paramref name="prompt"/> keeping <paramref name="beamWidth"/> beams;
    /// returns them best first. Score = log P / length^<paramref name="lengthPenalty"/> (all beams have the same length here,
    /// so the penalty changes scores but not the order). <paramref name="maskedToken"/> (the unknown token, when it is not
    /// allowed) gets logit -infinity at every step, so no beam holds it and the log-probabilities are over the other tokens.
    /// </summary>
    public static IReadOnlyList<BeamResult> Run(IStepModel model, IReadOnlyList<int> prompt, int length, int beamWidth, float lengthPenalty = 1f,
        int? maskedToken = null)
    {
        if (prompt.Count == 0) throw new ArgumentException("beam search needs a prompt of at least one token");
        if (beamWidth < 1) throw new ArgumentOutOfRangeException(nameof(beamWidth), $"beam width {beamWidth} must be at least 1");
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), "length must be 0 or more");
        int v = model.VocabularySize;
        if (maskedToken is int m && (m < 0 || m >= v || v == 1))
            throw new ArgumentOutOfRangeException(nameof(maskedToken), $"masked token {m} must be one of the model's {v} tokens, and not its only one");
        var logits = new float[v];
        var logp = new float[v];
        var first = model.CreateState();
        model.Feed(first, prompt.ToArray(), logits);
        LogProbabilities(logits, logp, maskedToken);
        var beams = new List<(StepState State, List<int> Tokens, double LogP, float[] NextLogp)> { (first, [], 0.0, (float[])logp.Clone()) };
        for (int step = 0; step < length; step++)
        {
            var candidates = new List<(int Beam, int Token, double LogP)>();
            for (int b = 0; b < beams.Count; b++)
                for (int t = 0; t < v; t++)
                    if (t != maskedToken) candidates.Add((b, t, beams[b].LogP + beams[b].NextLogp[t]));
            var best = candidates.OrderByDescending(c => c.LogP).ThenBy(c => c.Beam).ThenBy(c => c.Token).Take(beamWidth).ToList();
            var next = new List<(StepState, List<int>, double, float[])>();
            foreach (var (b, t, lp) in best)
            {
                var state = beams[b].State.Clone();
                var tokens = new List<int>(beams[b].Tokens) { t };
                float[] nl = [];
                if (step < length - 1)
                {
                    model.Feed(state, [t], logits);
                    nl = new float[v];
                    LogProbabilities(logits, nl, maskedToken);
                }
                next.Add((state, tokens, lp, nl));
            }
            beams = next;
        }
        return beams.Select(b => new BeamResult([.. b.Tokens], b.LogP, b.LogP / Math.Pow(Math.Max(1, b.Tokens.Count), lengthPenalty)))
            .OrderByDescending(r => r.Score).ToList();
    }

    private static void LogProbabilities(float[] logits, float[] logp, int? maskedToken)
    {
        if (maskedToken is int m) logits[m] = float.NegativeInfinity;
        Ops.LogSoftmaxRow(logits, logp);
    }
}
