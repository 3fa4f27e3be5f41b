// A quiz or check as a card: id and status, the question, its numbered choices, and the feedback
// (hint, the mistake behind a wrong choice, or the worked solution).
using System.Text;
using TextGen.Course;
using static TextGen.Interactive.NotebookFormatters;

namespace TextGen.Interactive;

internal static class QuizCard
{
    public static string Html(QuizResult result)
    {
        string color = result.Status switch { QuizStatus.Correct => "#1a7f37", QuizStatus.Wrong => "#cf222e", QuizStatus.Unanswered => "#57606a" };
        var sb = new StringBuilder($"<div class=\"textgen-quiz\" data-status=\"{result.Status.ToString().ToLowerInvariant()}\" style=\"border-left:4px solid {color};padding:6px 12px;margin:6px 0;{Font}\">");
        sb.Append($"<div><b>{E(result.Id)}</b> · {E(result.Title)} · <span class=\"textgen-badge\" style=\"color:{color};font-weight:600\">{E(result.Badge)}</span></div>");
        if (result.Prompt.Length > 0) sb.Append($"<p style=\"margin:6px 0\">{E(result.Prompt)}</p>");
        if (result.Choices.Count > 0)
        {
            sb.Append("<ol style=\"margin:4px 0 6px 0;padding-left:2em\">");
            foreach (var choice in result.Choices) sb.Append($"<li>{E(choice)}</li>");
            sb.Append("</ol>");
        }
        foreach (var line in result.Feedback) sb.Append($"<div class=\"textgen-feedback\" style=\"color:{color}\">→ {E(line)}</div>");
        return sb.Append("</div>").ToString();
    }
}
