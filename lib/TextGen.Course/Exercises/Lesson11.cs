// Checks of lesson 11's check cells: the gap that ranks a hidden unit (its mean over name lines minus its mean over
// speech), a bigram probability counted from a text, and the masked softmax of causal attention. Expected values are
// computed here, never in the cell.
using TextGen.Tensors;

namespace TextGen.Course;

public static partial class Exercise
{
    /// <summary>
    /// Lesson 11, "11.gap": passes when <paramref name="gap"/>, given a unit's values over a passage and which characters
    /// belong to a name line, returns the unit's mean over the name characters minus its mean over the others.
    /// </summary>
    public static QuizResult UnitGap(string id, Func<float[], bool[], double>? gap)
    {
        const string what = "a unit's gap between name lines and speech";
        if (gap is null)
            return CheckResult.Open(id, what, "Write the function in place of null and run the cell again.");
        (float[] Values, bool[] IsName)[] cases =
        [
            ([0.9f, 0.8f, 0.1f, 0.0f, -0.1f, 0.2f], [true, true, false, false, false, false]),
            ([-0.5f, 0.5f, 0.5f, 0.3f], [true, false, false, false]),
            ([0.2f, 0.4f, 0.6f, -0.6f, 0.0f], [false, true, true, false, false]),
        ];
        foreach (var (values, isName) in cases)
        {
            double inName = values.Where((v, i) => isName[i]).Average(), outside = values.Where((v, i) => !isName[i]).Average();
            double expected = inName - outside, got;
            try { got = gap(values, isName); }
            catch (Exception e) { return CheckResult.Fail(id, what, $"The function threw {e.GetType().Name}: {e.Message}"); }
            if (Math.Abs(got - expected) <= 1e-5) continue;
            string at = $"For values [{string.Join(", ", values)}] with name flags [{string.Join(", ", isName)}] it gives {got:G4}, not {expected:G4}.";
            if (Math.Abs(got + expected) <= 1e-5) return CheckResult.Fail(id, what, at, "The sign is the other way round: name lines minus speech.");
            double sums = values.Where((v, i) => isName[i]).Sum() - values.Where((v, i) => !isName[i]).Sum();
            if (Math.Abs(got - sums) <= 1e-5) return CheckResult.Fail(id, what, at, "Those are sums: a passage has far more speech than name characters, so compare means.");
            if (Math.Abs(got - (inName - values.Average())) <= 1e-5) return CheckResult.Fail(id, what, at, "The second mean is over every character; take it over the characters outside name lines only.");
            return CheckResult.Fail(id, what, at, "Average the values where isName[i] is true, average those where it is false, and subtract the second from the first.");
        }
        return CheckResult.Pass(id, what, "Mean over name characters minus mean over the rest: large (either sign) for a unit that tells the two apart.");
    }

    /// <summary>
    /// Lesson 11, "11.bigram": passes when <paramref name="bigram"/>, given a text and two characters, returns the share of
    /// the occurrences of <c>context</c> that are followed by <c>next</c> (occurrences at the very end have no next character).
    /// </summary>
    public static QuizResult Bigram(string id, Func<string, char, char, double>? bigram)
    {
        const string what = "a bigram probability counted from text";
        if (bigram is null)
            return CheckResult.Open(id, what, "Write the function in place of null and run the cell again.");
        (string Text, char Context, char Next)[] cases = [("abab", 'a', 'b'), ("hello there", 'e', 'l'), ("to be or not to be", 'o', ' '), ("banana", 'a', 'n')];
        foreach (var (text, context, next) in cases)
        {
            int pairs = 0, followed = 0;
            for (int i = 0; i + 1 < text.Length; i++)
                if (text[i] == context) { followed++; if (text[i + 1] == next) pairs++; }
            double expected = pairs / (double)followed, got;
            try { got = bigram(text, context, next); }
            catch (Exception e) { return CheckResult.Fail(id, what, $"The function threw {e.GetType().Name} for (\"{text}\", '{context}', '{next}'): {e.Message}"); }
            if (Math.Abs(got - expected) <= 1e-9) continue;
            string at = $"For (\"{text}\", '{context}', '{next}') it gives {got:G4}, not {expected:G4}.";
            if (Math.Abs(got - pairs / (double)text.Count(c => c == context)) <= 1e-9)
                return CheckResult.Fail(id, what, at, "Nearly: an occurrence of the context at the very end of the text has no next character, so it does not count.");
            if (Math.Abs(got - pairs / (double)(text.Length - 1)) <= 1e-9 || Math.Abs(got - pairs / (double)text.Length) <= 1e-9)
                return CheckResult.Fail(id, what, at, "Divide by how often the context is followed by any character, not by the length of the text: the probability is conditional on the context.");
            if (Math.Abs(got - pairs) <= 1e-9)
                return CheckResult.Fail(id, what, at, "That is a count: divide it by how often the context is followed by any character.");
            return CheckResult.Fail(id, what, at, "Count the positions i where text[i] is the context and text[i + 1] is next, and divide by the positions where text[i] is the context and i + 1 is inside the text.");
        }
        return CheckResult.Pass(id, what, "Pairs (context, next) over every occurrence of the context that has a next character: what an n-gram model counts, before smoothing.");
    }

    /// <summary>
    /// Lesson 11, "11.mask": passes when <paramref name="causalSoftmax"/>, given a square matrix of attention scores (row i:
    /// position i's scores for every position j), returns row by row the softmax over positions 0..i and 0 after i.
    /// </summary>
    public static QuizResult MaskedSoftmax(string id, Func<float[][], float[][]>? causalSoftmax)
    {
        const string what = "the causal softmax of attention scores";
        if (causalSoftmax is null)
            return CheckResult.Open(id, what, "Write the function in place of null and run the cell again.");
        float[][][] cases =
        [
            [[1f, 2f, 3f], [0.5f, -1f, 2f], [0f, 0f, 0f]],
            [[2f, -3f, 0f, 1f], [0f, 1.0986123f, 5f, 2f], [-1f, 0.5f, 0.25f, 9f], [0.3f, 0.1f, -0.2f, 0.4f]],
        ];
        foreach (var scores in cases)
        {
            int n = scores.Length;
            // The references come first, from the scores as given: the learner's function gets a copy it may write into.
            double[][] Softmax(bool masked) => scores.Select((row, i) =>
            {
                var e = row.Select((s, j) => masked && j > i ? 0 : Math.Exp(s)).ToArray();
                return e.Select(x => x / e.Sum()).ToArray();
            }).ToArray();
            double[][] expected = Softmax(masked: true), unmasked = Softmax(masked: false);
            float[][] got;
            try { got = causalSoftmax(scores.Select(r => r.ToArray()).ToArray()); }
            catch (Exception e) { return CheckResult.Fail(id, what, $"The function threw {e.GetType().Name}: {e.Message}"); }
            string input = string.Join(" / ", scores.Select(r => string.Join(", ", r)));
            if (got is null || got.Length != n || got.Any(r => r is null || r.Length != n))
                return CheckResult.Fail(id, what, $"For a {n} x {n} matrix of scores it must return {n} rows of {n} weights.");
            float[] flat = got.SelectMany(r => r).ToArray();
            if (CheckResult.NonFinite(flat, [n, n]) is { } where)
                return CheckResult.Fail(id, what, $"Your weights hold {where}, not a number a weight can be: e^-∞ is 0, so a masked score gives weight 0.");
            double[] mine = flat.Select(w => (double)w).ToArray();
            bool Matches(IEnumerable<double[]> reference) => Difference.Largest(mine, reference.SelectMany(r => r).ToArray()) <= 1e-4;
            if (Matches(expected)) continue;
            string at = $"For the scores [{input}] row 0 gives [{string.Join(", ", got[0].Select(w => w.ToString("0.###")))}].";
            if (Matches(unmasked))
                return CheckResult.Fail(id, what, at, "Position 0 reads positions after it: the mask is missing. Leave the scores after i out (or set them to -∞) before the softmax.");
            if (Matches(unmasked.Select((row, i) => row.Select((w, j) => j > i ? 0 : w).ToArray())))
                return CheckResult.Fail(id, what, at, "The later positions are 0, but the rows no longer add up to 1: mask before the softmax, not after it.");
            return CheckResult.Fail(id, what, at, "Row i: e^score for positions 0..i divided by their sum, and 0 for the positions after i.");
        }
        return CheckResult.Pass(id, what, "Each row is a softmax over the positions up to its own, and 0 after: what CausalSelfAttention computes from its scores.");
    }
}
