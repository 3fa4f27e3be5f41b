// The rules a quiz bank is held to, as functions that list what breaks them, so that each rule can be shown to
// fail on a planted bad question as well as to pass on the real bank (QuizRuleTests). docs/LESSONS.md states them.
using System.Text.RegularExpressions;
using TextGen.Course;

namespace TextGen.Tests.Quiz;

public static partial class QuizRules
{
    /// <summary>
    /// A run of this many words shared by a right choice and its lesson's prose is a copied sentence. Measured on the bank
    /// of 2026-12-06: no wrong choice (written as a learner's mistake, not taken from the lesson) shares more than 4 words
    /// in a row with its lesson, and 8 of 141 share 4; the right choices copied from a sentence shared 5 and 6. So 5 is
    /// the shortest run that chance did not produce.
    /// </summary>
    public const int CopiedRun = 5;

    /// <summary>No answer position may hold more than this share of the right answers.</summary>
    public const double MostAtOnePosition = 0.35;

    /// <summary>The right choice may be the strictly longest in at most this share of the questions.</summary>
    public const double MostLongest = 0.40;

    /// <summary>Fails with every problem listed, one per line, unless there is none.</summary>
    public static void AssertNone(IEnumerable<string?> problems)
    {
        var list = problems.OfType<string>().ToList();
        Xunit.Assert.True(list.Count == 0, $"{list.Count} problem(s):\n{string.Join("\n", list)}");
    }

    /// <summary>Answer positions that hold more than 35% of the bank's right answers.</summary>
    public static IEnumerable<string> CrowdedPositions(IReadOnlyList<Question> bank) =>
        bank.GroupBy(q => q.Answer).Where(g => g.Count() > MostAtOnePosition * bank.Count)
            .Select(g => $"choice {g.Key} is the answer to {g.Count()} of {bank.Count} questions (at most {MostAtOnePosition:P0})");

    /// <summary>Whether the right choice is longer than every wrong one, a cue a learner can answer by.</summary>
    public static bool RightIsLongest(Question q) =>
        q.Choices[q.Answer - 1].Length > q.Choices.Where((_, i) => i != q.Answer - 1).Max(c => c.Length);

    /// <summary>The complaint when the right choice is the strictly longest in more than 40% of the questions; null when not.</summary>
    public static string? LongestTooOften(IReadOnlyList<Question> bank)
    {
        int longest = bank.Count(RightIsLongest);
        return longest > MostLongest * bank.Count
            ? $"the right choice is the strictly longest in {longest} of {bank.Count} questions (at most {MostLongest:P0})" : null;
    }

    /// <summary>
    /// How a hint gives the answer away: it contains the right choice; it holds a number that only the right choice has
    /// (not the question, not a wrong choice); it holds more than half of the words only the right choice has (at least
    /// two), so that it paraphrases the answer; or it names a choice by its number or place.
    /// </summary>
    public static IEnumerable<string> HintLeaks(Question q)
    {
        string answer = q.Choices[q.Answer - 1];
        if ($" {Normal(q.Hint)} ".Contains($" {Normal(answer)} ", StringComparison.Ordinal))
            yield return $"{q.Id}: the hint \"{q.Hint}\" contains the right choice \"{answer}\"";
        var hint = Words(q.Hint).Select(Stem).ToHashSet();
        var distinctive = DistinctiveWords(q);
        foreach (var number in distinctive.Where(w => Number().IsMatch(w) && hint.Contains(Stem(w))))
            yield return $"{q.Id}: the hint \"{q.Hint}\" holds {number}, a number only the right choice has";
        var words = distinctive.Where(w => !Number().IsMatch(w)).Select(Stem).Distinct().ToList();
        var shared = words.Where(hint.Contains).ToList();
        if (shared.Count >= 2 && shared.Count * 2 > words.Count)
            yield return $"{q.Id}: the hint \"{q.Hint}\" paraphrases the right choice: it shares {string.Join(", ", shared)} of the words only that choice has";
        if (ChoiceByPlace().IsMatch(q.Hint))
            yield return $"{q.Id}: the hint \"{q.Hint}\" points at a choice by its place";
    }

    /// <summary>The words of the right choice that neither the question nor a wrong choice uses, common words left out.</summary>
    public static IReadOnlyList<string> DistinctiveWords(Question q)
    {
        var elsewhere = Words(q.Text).Concat(q.Choices.Where((_, i) => i != q.Answer - 1).SelectMany(Words)).Select(Stem).ToHashSet();
        return [.. Words(q.Choices[q.Answer - 1]).Where(w => !Common.Contains(w) && !elsewhere.Contains(Stem(w))).Distinct()];
    }

    /// <summary>
    /// The longest run of consecutive words that <paramref name="choice"/> shares with <paramref name="prose"/>, case and
    /// punctuation ignored, with the run itself.
    /// </summary>
    public static (int Length, string Run) LongestSharedRun(string choice, string prose)
    {
        var a = Words(choice);
        var b = Words(prose);
        int best = 0, end = 0;
        var previous = new int[b.Count + 1];
        for (int i = 1; i <= a.Count; i++)
        {
            var current = new int[b.Count + 1];
            for (int j = 1; j <= b.Count; j++)
                if (a[i - 1] == b[j - 1] && (current[j] = previous[j - 1] + 1) > best) (best, end) = (current[j], i);
            previous = current;
        }
        return (best, string.Join(' ', a.Skip(end - best).Take(best)));
    }

    /// <summary>The complaint when the right choice of <paramref name="q"/> repeats <see cref="CopiedRun"/> or more words of its lesson's prose in a row.</summary>
    public static string? CopiedFromLesson(Question q, string lessonProse)
    {
        var (length, run) = LongestSharedRun(q.Choices[q.Answer - 1], lessonProse);
        return length >= CopiedRun ? $"{q.Id}: the right choice repeats {length} words of the lesson in a row: \"{run}\"" : null;
    }

    /// <summary>
    /// What a rendered card shows too early or never: the hint before a wrong answer (unanswered, or right), the worked
    /// solution before the right answer, or either missing where it belongs. <paramref name="render"/> turns a result
    /// into what the learner sees (the HTML card or the text form).
    /// </summary>
    public static IEnumerable<string> RevealedTooEarly(Question q, Func<QuizResult, string> render)
    {
        string hint = q.Hint, solution = q.Solution[0];
        bool Shows(QuizResult r, string text) => render(r).Contains(text, StringComparison.Ordinal)
            || render(r).Contains(System.Net.WebUtility.HtmlEncode(text), StringComparison.Ordinal);
        var unanswered = TextGen.Course.Quiz.Ask(q, null);
        if (Shows(unanswered, hint)) yield return $"{q.Id}: the hint shows before any answer";
        if (Shows(unanswered, solution)) yield return $"{q.Id}: the worked solution shows before any answer";
        var right = TextGen.Course.Quiz.Ask(q, q.Answer);
        if (Shows(right, hint)) yield return $"{q.Id}: the hint shows beside the right answer";
        if (!Shows(right, solution)) yield return $"{q.Id}: the right answer does not show the worked solution";
        for (int choice = 1; choice <= q.Choices.Count; choice++)
        {
            if (choice == q.Answer) continue;
            var wrong = TextGen.Course.Quiz.Ask(q, choice);
            if (!Shows(wrong, hint)) yield return $"{q.Id}: wrong choice {choice} does not show the hint";
            if (Shows(wrong, solution)) yield return $"{q.Id}: wrong choice {choice} shows the worked solution";
        }
        if (!Shows(TextGen.Course.Quiz.Hint(q.Id), hint)) yield return $"{q.Id}: Quiz.Hint does not show the hint";
    }

    /// <summary>The words of a text, lower case, punctuation dropped; a number keeps its digits ("10,000" is "10000").</summary>
    public static List<string> Words(string text) =>
        [.. Word().Matches(text).Select(m => m.Value.ToLowerInvariant().Replace(",", "", StringComparison.Ordinal))];

    /// <summary>A crude stem, so that "probability" and "probabilities" or "letter" and "letters" meet.</summary>
    private static string Stem(string word) => word.Length > 6 ? word[..6] : word.TrimEnd('s');

    private static string Normal(string text) => string.Join(' ', Words(text));

    // Words that carry no answer: articles, pronouns, auxiliaries, prepositions, conjunctions.
    private static readonly HashSet<string> Common =
    [
        "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "from", "with", "as", "into", "than",
        "it", "its", "is", "are", "was", "were", "be", "been", "so", "that", "this", "these", "those", "each", "every",
        "what", "which", "who", "how", "not", "no", "one", "all", "only", "does", "do", "has", "have", "had", "can",
        "their", "there", "they", "them", "more", "less", "about", "after", "before", "then", "when", "where", "same",
    ];

    [GeneratedRegex(@"\p{N}")]
    private static partial Regex Number();

    // A number joins its decimal or thousands separator, and a subscript such as t-1 stays one word.
    [GeneratedRegex(@"[\p{L}\p{N}]+(?:[.,]\p{N}+|-\p{N}+)*")]
    private static partial Regex Word();

    [GeneratedRegex(@"\b(choice|option|answer)\s+(\d|one|two|three|four)\b|\b(first|second|third|fourth|last)\s+(choice|option)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ChoiceByPlace();
}
