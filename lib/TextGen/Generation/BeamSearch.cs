// Beam search: keep the best few partial sequences by total log-probability, expand each by every
// token, and keep the best again. Width 1 is greedy decoding.
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
    /// so the penalty changes scores but not the order).
    /// </summary>
    public static IReadOnlyList<BeamResult> Run(IStepModel model, IReadOnlyList<int> prompt, int length, int beamWidth, float lengthPenalty = 1f)
    {
        if (prompt.Count == 0) throw new ArgumentException("beam search needs a prompt of at least one token");
        if (beamWidth < 1) throw new ArgumentOutOfRangeException(nameof(beamWidth), $"beam width {beamWidth} must be at least 1");
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), "length must be 0 or more");
        int v = model.VocabularySize;
        var logits = new float[v];
        var logp = new float[v];
        var first = model.CreateState();
        model.Feed(first, prompt.ToArray(), logits);
        Ops.LogSoftmaxRow(logits, logp);
        var beams = new List<(StepState State, List<int> Tokens, double LogP, float[] NextLogp)> { (first, [], 0.0, (float[])logp.Clone()) };
        for (int step = 0; step < length; step++)
        {
            var candidates = new List<(int Beam, int Token, double LogP)>();
            for (int b = 0; b < beams.Count; b++)
                for (int t = 0; t < v; t++) candidates.Add((b, t, beams[b].LogP + beams[b].NextLogp[t]));
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
                    Ops.LogSoftmaxRow(logits, nl);
                }
                next.Add((state, tokens, lp, nl));
            }
            beams = next;
        }
        return beams.Select(b => new BeamResult([.. b.Tokens], b.LogP, b.LogP / Math.Pow(Math.Max(1, b.Tokens.Count), lengthPenalty)))
            .OrderByDescending(r => r.Score).ToList();
    }
}
