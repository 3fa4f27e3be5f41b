// Claims a lesson's prose makes about its own outputs, checked in the cell that shows the numbers. An experiment
// ("the LSTM keeps more gradient at distance 40 than the RNN") depends on the run: on the quick budget its numbers mean
// nothing, so it is only reported; on the full budget it is checked, and `textgen notebook verify` runs every lesson
// at the full budget and fails when one does not hold. A fact (arithmetic, or a property of the data) holds whatever
// the run, so it is checked on every budget and shown as a fact, not as a finding of the run.
namespace TextGen.Course;

/// <summary>Checks a statement of the lesson against this run's numbers and shows the outcome with its evidence and its bar.</summary>
public static class Claim
{
    /// <summary>The label of the feedback line that says why the threshold is where it is; tools read it back from outputs.</summary>
    public const string BarLabel = "why this bar: ";

    /// <summary>The label of the feedback line that names a non-finite number in the evidence.</summary>
    public const string NonFiniteLabel = "not a finite number: ";

    /// <summary>
    /// An experiment: whether <paramref name="statement"/> is shown by this run. <paramref name="holds"/> is computed from
    /// the outputs above with a threshold chosen from the question, before looking at the figure; <paramref name="evidence"/>
    /// gives the numbers in words (as an interpolated string, whose numbers are checked); <paramref name="bar"/> says in one
    /// line why that threshold shows the statement. On the quick budget it is shown as not checked. A NaN, ±∞ or missing
    /// number in the evidence makes it fail. The verification (<c>textgen notebook verify</c>) requires the bar.
    /// </summary>
    public static QuizResult That(string id, string statement, bool holds, ClaimEvidence evidence, string? bar = null) =>
        Result(id, QuizKind.Claim, statement, holds, evidence, bar, checkNow: !Lesson.IsQuick);

    /// <summary>
    /// A fact: arithmetic or a property of the data that does not depend on the run's length or luck (a parameter count,
    /// a vocabulary size, equal results by construction). Checked on every budget and shown as "✔ holds", not as a
    /// finding of the run. <paramref name="bar"/> is optional: say why where the statement has a threshold.
    /// </summary>
    public static QuizResult Fact(string id, string statement, bool holds, ClaimEvidence evidence, string? bar = null) =>
        Result(id, QuizKind.Fact, statement, holds, evidence, bar, checkNow: true);

    private static QuizResult Result(string id, QuizKind kind, string statement, bool holds, ClaimEvidence evidence, string? bar, bool checkNow)
    {
        if (string.IsNullOrWhiteSpace(id)) throw new ArgumentException("a claim needs an id, such as \"4.fused\"", nameof(id));
        var bad = evidence.NonFinite;
        var status = !checkNow ? QuizStatus.Unanswered : holds && bad.Count == 0 ? QuizStatus.Correct : QuizStatus.Wrong;
        var feedback = new List<string> { evidence.ToString() };
        if (!string.IsNullOrWhiteSpace(bar)) feedback.Add(BarLabel + bar.Trim());
        if (bad.Count > 0) feedback.Add($"{NonFiniteLabel}{string.Join(", ", bad)} in the evidence; a claim never holds on such a number");
        return new QuizResult(id, status, kind == QuizKind.Fact ? "Fact" : "Claim", statement, [], feedback) { Kind = kind };
    }
}
