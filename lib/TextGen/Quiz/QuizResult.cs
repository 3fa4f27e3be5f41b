// The outcome of a quiz or check cell. An unanswered question is reported as such and is not a failure,
// so a lesson always runs top to bottom. Notebooks show it through the kernel formatter in
// TextGen.Interactive; its text form (ToString) is what terminals, logs and file-based apps print.
using System.Text;

namespace TextGen.Quiz;

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

/// <summary>What a quiz or check reports: its id and status, the question with its numbered choices (empty for checks), and feedback lines.</summary>
public sealed record QuizResult(string Id, QuizStatus Status, string Title, string Prompt, IReadOnlyList<string> Choices, IReadOnlyList<string> Feedback)
{
    /// <summary>True when the answer is right.</summary>
    public bool Passed => Status == QuizStatus.Correct;

    /// <summary>The status as shown to the learner: "✔ correct", "✘ not yet" or "○ not answered yet".</summary>
    public string Badge => Status switch
    {
        QuizStatus.Correct => "✔ correct",
        QuizStatus.Wrong => "✘ not yet",
        _ => "○ not answered yet",
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
