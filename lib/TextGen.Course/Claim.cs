// Claims a lesson's prose makes about its own outputs, checked in the cell that shows the numbers: "the
// LSTM keeps more gradient at distance 40 than the RNN". On the quick budget the numbers mean nothing, so a
// claim is only reported; the tests require every claim in the committed (full-budget) outputs to hold.
namespace TextGen.Course;

/// <summary>Checks a statement of the lesson against this run's numbers and shows the outcome with its evidence.</summary>
public static class Claim
{
    /// <summary>
    /// Reports whether <paramref name="statement"/> holds: <paramref name="holds"/> is computed from the outputs above,
    /// <paramref name="evidence"/> gives the numbers in words. On the quick budget it is shown as not checked.
    /// </summary>
    public static QuizResult That(string id, string statement, bool holds, string evidence)
    {
        var status = Lesson.IsQuick ? QuizStatus.Unanswered : holds ? QuizStatus.Correct : QuizStatus.Wrong;
        return new QuizResult(id, status, "Claim", statement, [], [evidence]) { Kind = QuizKind.Claim };
    }
}
