// The outcome of a quiz or check cell, shown as text or HTML. An unanswered question is reported
// as such and is not a failure, so a lesson always runs top to bottom.
using System.Net;
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

/// <summary>What a quiz or check reports: the status, the question or check, and feedback lines.</summary>
public sealed record QuizResult(string Id, QuizStatus Status, string Title, IReadOnlyList<string> Body, IReadOnlyList<string> Feedback)
{
    /// <summary>True when the answer is right.</summary>
    public bool Passed => Status == QuizStatus.Correct;

    private string Badge => Status switch
    {
        QuizStatus.Correct => "✔ correct",
        QuizStatus.Wrong => "✘ not yet",
        _ => "○ not answered yet",
    };

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder().Append($"[{Id}] {Title} — {Badge}\n");
        foreach (var line in Body) sb.Append("  ").Append(line).Append('\n');
        foreach (var line in Feedback) sb.Append("  → ").Append(line).Append('\n');
        return sb.ToString().TrimEnd('\n');
    }

    /// <summary>The result as an HTML fragment for notebooks.</summary>
    public string ToHtml()
    {
        string color = Status switch { QuizStatus.Correct => "#1a7f37", QuizStatus.Wrong => "#cf222e", _ => "#6e7781" };
        var sb = new StringBuilder($"<div style=\"border-left:4px solid {color};padding:4px 10px;margin:4px 0\">");
        sb.Append($"<div><b>{WebUtility.HtmlEncode(Id)}</b> {WebUtility.HtmlEncode(Title)} <span style=\"color:{color}\">{WebUtility.HtmlEncode(Badge)}</span></div>");
        foreach (var line in Body) sb.Append($"<div>{WebUtility.HtmlEncode(line)}</div>");
        foreach (var line in Feedback) sb.Append($"<div style=\"color:{color}\">→ {WebUtility.HtmlEncode(line)}</div>");
        return sb.Append("</div>").ToString();
    }
}
