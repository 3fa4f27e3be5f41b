// Asking a question in a notebook: the learner sets an answer variable and runs the cell. The hint comes
// after a wrong answer (or on request, Quiz.Hint), the worked solution after the right one. With the answer
// key on (TEXTGEN_ANSWER_KEY=1, used by the notebook tests) an unset multiple-choice answer takes the key;
// checks of computed shapes and values never do. Anything typed in is judged, never thrown.
namespace TextGen.Course;

/// <summary>Multiple-choice questions of the lessons, asked by id.</summary>
public static class Quiz
{
    /// <summary>The environment variable that fills unanswered multiple-choice questions with the key.</summary>
    public const string AnswerKeyVariable = "TEXTGEN_ANSWER_KEY";

    /// <summary>Whether unset answers are replaced by the key (the notebook tests turn this on).</summary>
    public static bool UseAnswerKey => Environment.GetEnvironmentVariable(AnswerKeyVariable) == "1";

    /// <summary>Shows question <paramref name="id"/> and judges <paramref name="answer"/> (the 1-based choice, or null).</summary>
    public static QuizResult Ask(string id, int? answer = null) => QuestionBank.TryGet(id, out var q) ? Ask(q, answer) : Unknown(id);

    /// <summary>
    /// Shows question <paramref name="id"/> and judges an answer of any type: text, a decimal number, a bool or anything else
    /// is not a choice number, and the feedback says so in one line.
    /// </summary>
    public static QuizResult Ask(string id, object? answer)
    {
        if (!QuestionBank.TryGet(id, out var q)) return Unknown(id);
        if (answer is null) return Ask(q, (int?)null);
        if (AnswerReader.TryWholeNumber(answer, out long whole))
            return whole is >= int.MinValue and <= int.MaxValue ? Ask(q, (int)whole) : OutOfRange(q, whole.ToString(System.Globalization.CultureInfo.InvariantCulture));
        string expected = $"give the number of a choice, 1-{q.Choices.Count}, like answer: 2";
        string line = answer switch
        {
            string s when int.TryParse(s.Trim(), out _) => $"\"{s}\" is text: write the number without quotes, like answer: {s.Trim()}",
            double or float or decimal when AnswerReader.TryNumber(answer, out var d) && double.IsFinite(d) && d == Math.Floor(d) =>
                $"{AnswerReader.Number(d)} is written as a decimal number: choices are whole numbers, like answer: {AnswerReader.Number(d)}",
            _ => $"{Capital(AnswerReader.Describe(answer))} is not a choice: {expected}",
        };
        return Result(q) with { Status = QuizStatus.Wrong, Feedback = [line] };
    }

    /// <summary>Shows a question and judges <paramref name="answer"/>.</summary>
    public static QuizResult Ask(Question question, int? answer = null)
    {
        if (question is null) return new QuizResult("?", QuizStatus.Wrong, "Question", "", [], ["No question was given: ask one by its id, like Quiz.Ask(\"3.1\", answer: null)."]);
        question.Validate();
        if (answer is null && UseAnswerKey) answer = question.Answer;
        var result = Result(question);
        // The hint waits for a wrong answer (or a request): shown before the first try, it answers in the learner's place.
        if (answer is null)
            return result with { Feedback = [Prompt(question)] };
        if (answer < 1 || answer > question.Choices.Count) return OutOfRange(question, answer.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (answer == question.Answer)
            return result with { Status = QuizStatus.Correct, Feedback = ["Worked solution:", .. question.Solution.Select((s, i) => $"{i + 1}) {s}")] };
        var feedback = new List<string>();
        if (question.Mistakes.TryGetValue(answer.Value, out var mistake)) feedback.Add(mistake);
        feedback.Add($"Hint: {question.Hint}");
        return result with { Status = QuizStatus.Wrong, Feedback = feedback };
    }

    /// <summary>
    /// Shows question <paramref name="id"/> with its hint, for a learner who asks for one before answering;
    /// <see cref="Ask(string, int?)"/> shows it only after a wrong answer.
    /// </summary>
    public static QuizResult Hint(string id)
    {
        if (!QuestionBank.TryGet(id, out var q)) return Unknown(id);
        return Result(q) with { Feedback = [$"Hint: {q.Hint}", $"Give your answer (a number 1-{q.Choices.Count}) in Quiz.Ask(\"{q.Id}\", answer: ...) and run it."] };
    }

    /// <summary>What an unanswered question says: how to answer, and how to ask for the hint.</summary>
    private static string Prompt(Question q) =>
        $"Give your answer (a number 1-{q.Choices.Count}) in place of null and run the cell again. Stuck? Quiz.Hint(\"{q.Id}\") shows a hint.";

    private static QuizResult Result(Question q) =>
        new(q.Id, QuizStatus.Unanswered, $"Question ({q.Level.ToString().ToLowerInvariant()}{(q.AboutOutput ? ", about the output above" : "")})",
            q.Text, q.Choices, []);

    private static QuizResult OutOfRange(Question q, string answer) =>
        Result(q) with { Status = QuizStatus.Wrong, Feedback = [$"{answer} is not one of the choices: give a number from 1 to {q.Choices.Count}."] };

    private static QuizResult Unknown(string? id)
    {
        string shown = string.IsNullOrWhiteSpace(id) ? "?" : id.Length > 40 ? id[..40] + "…" : id;
        var lesson = id?.Split('.')[0];
        var same = QuestionBank.Questions.Where(q => lesson is { Length: > 0 } && q.Id.StartsWith(lesson + ".", StringComparison.Ordinal)).Select(q => q.Id).ToList();
        string line = id is null ? "No question id was given: ids are text like \"3.1\" (lesson 3, question 1)."
            : same.Count > 0 ? $"There is no question '{shown}': lesson {lesson} has {string.Join(", ", same)}."
            : $"There is no question '{shown}': ids are text like \"3.1\" (lesson 3, question 1), for lessons {QuestionBank.Lessons.First}-{QuestionBank.Lessons.Last}.";
        return new QuizResult(shown, QuizStatus.Wrong, "Question", "", [], [line]);
    }

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
