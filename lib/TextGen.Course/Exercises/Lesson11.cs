// Checks of lesson 11's check cells: the gap that ranks a hidden unit (its mean over name lines minus its mean over
// speech), and a bigram probability counted from a text. Expected values are computed here, never in the cell.
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
}
