// The outcome of a quiz or check cell. An unanswered question is reported as such and is not a failure,
// so a lesson always runs top to bottom. Notebooks show it through the kernel formatter in
// TextGen.Interactive; its text form (ToString) is what terminals, logs and file-based apps print.
using System.Text;

namespace TextGen.Course;

/// <summary>State of a quiz cell.</summary>
public enum QuizStatus
{
    /// <summary>No answer given yet.</summary>
    Unanswered,
    /// <summary>The answer is right.</summary>
    Correct,
    /// <summary>The answer is wrong.</summary>
    Wrong,
}

/// <summary>What a result is about: the learner's answer, a claim the lesson makes about its own outputs, or a fact it states.</summary>
public enum QuizKind
{
    /// <summary>A question or a check of what the learner wrote.</summary>
    Answer,
    /// <summary>A statement of the lesson's prose, checked against the numbers of this run on the full budget (<see cref="Claim.That"/>).</summary>
    Claim,
    /// <summary>Arithmetic or a fact of the data, which holds whatever the run (<see cref="Claim.Fact"/>); checked on every budget.</summary>
    Fact,
}

/// <summary>What a quiz or check reports: its id and status, the question with its numbered choices (empty for checks), and feedback lines.</summary>
public sealed record QuizResult(string Id, QuizStatus Status, string Title, string Prompt, IReadOnlyList<string> Choices, IReadOnlyList<string> Feedback)
{
    /// <summary>Whether this judges a learner's answer or one of the lesson's own claims.</summary>
    public QuizKind Kind { get; init; } = QuizKind.Answer;

    /// <summary>True when the answer is right (or the claim holds).</summary>
    public bool Passed => Status == QuizStatus.Correct;

    /// <summary>The status as shown: "✔ correct", "✘ not yet" or "○ not answered yet"; for claims whether this run shows them; for facts whether they hold.</summary>
    public string Badge => BadgeOf(Kind, Status);

    /// <summary>The badge of a status, per kind; tools read badges back from outputs.</summary>
    public static string BadgeOf(QuizKind kind, QuizStatus status) => (kind, status) switch
    {
        (QuizKind.Answer, QuizStatus.Correct) => "✔ correct",
        (QuizKind.Answer, QuizStatus.Wrong) => "✘ not yet",
        (QuizKind.Answer, QuizStatus.Unanswered) => "○ not answered yet",
        (QuizKind.Claim, QuizStatus.Correct) => "✔ shown by this run",
        (QuizKind.Claim, QuizStatus.Wrong) => "✘ not shown by this run",
        (QuizKind.Claim, QuizStatus.Unanswered) => "○ checked on the full budget",
        (QuizKind.Fact, QuizStatus.Correct) => "✔ holds",
        (QuizKind.Fact, QuizStatus.Wrong) => "✘ does not hold",
        (QuizKind.Fact, QuizStatus.Unanswered) => "○ not checked",
    };

    /// <summary>The first line of the text form, "[id] title — badge", which tools read to find quiz outcomes in outputs.</summary>
    public string Headline => $"[{Id}] {Title} — {Badge}";

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder(Headline).Append('\n');
        if (Prompt.Length > 0) sb.Append("  ").Append(Prompt).Append('\n');
        for (int i = 0; i < Choices.Count; i++) sb.Append($"  {i + 1}. {Choices[i]}\n");
        foreach (var line in Feedback) sb.Append("  → ").Append(line).Append('\n');
        return sb.ToString().TrimEnd('\n');
    }
}
