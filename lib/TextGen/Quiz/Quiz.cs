// Asking a question in a notebook: the learner sets an answer variable and runs the cell. With the
// answer key on (TEXTGEN_ANSWER_KEY=1, used by the notebook tests) an unset multiple-choice answer takes
// the key; checks of computed shapes and values never do.
namespace TextGen.Quiz;

/// <summary>Multiple-choice questions of the lessons, asked by id.</summary>
public static class Quiz
{
    /// <summary>The environment variable that fills unanswered multiple-choice questions with the key.</summary>
    public const string AnswerKeyVariable = "TEXTGEN_ANSWER_KEY";

    /// <summary>Whether unset answers are replaced by the key (the notebook tests turn this on).</summary>
    public static bool UseAnswerKey => Environment.GetEnvironmentVariable(AnswerKeyVariable) == "1";

    /// <summary>Shows question <paramref name="id"/> and judges <paramref name="answer"/> (the 1-based choice, or null).</summary>
    public static QuizResult Ask(string id, int? answer = null) => Ask(QuestionBank.Get(id), answer);

    /// <summary>Shows a question and judges <paramref name="answer"/>.</summary>
    public static QuizResult Ask(Question question, int? answer = null)
    {
        question.Validate();
        if (answer is null && UseAnswerKey) answer = question.Answer;
        var title = $"Question ({question.Level.ToString().ToLowerInvariant()}{(question.AboutOutput ? ", about the output above" : "")})";
        var result = new QuizResult(question.Id, QuizStatus.Unanswered, title, question.Text, question.Choices, []);
        if (answer is null)
            return result with { Feedback =
                [$"Give your answer (a number 1-{question.Choices.Count}) in place of null and run the cell again.", $"Hint: {question.Hint}"] };
        if (answer < 1 || answer > question.Choices.Count)
            return result with { Status = QuizStatus.Wrong, Feedback = [$"{answer} is not one of the choices 1-{question.Choices.Count}."] };
        if (answer == question.Answer)
            return result with { Status = QuizStatus.Correct, Feedback = ["Worked solution:", .. question.Solution.Select((s, i) => $"{i + 1}) {s}")] };
        var feedback = new List<string>();
        if (question.Mistakes.TryGetValue(answer.Value, out var mistake)) feedback.Add(mistake);
        feedback.Add($"Hint: {question.Hint}");
        return result with { Status = QuizStatus.Wrong, Feedback = feedback };
    }
}
