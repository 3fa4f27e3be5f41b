// Reads an executed notebook (.ipynb JSON, from nbconvert or from the in-process runner) for what makes a
// lesson fail where learners run it: error outputs, anything on stderr, a quiz answered wrongly, a quiz
// shown by the kernel's default object formatter; and, for the committed outputs, machine paths, the
// kernel's boot script and charts without a static picture.
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TextGen.Course;

namespace TextGen.Notebooks;

/// <summary>A quiz, check or claim found in a notebook's outputs, by the headline of its text form.</summary>
public sealed record QuizOutcome(int Cell, string Id, QuizStatus Status, QuizKind Kind = QuizKind.Answer);

/// <summary>Something wrong in a notebook's outputs: the cell, what kind of problem, and the text that shows it.</summary>
public sealed record OutputProblem(int Cell, string Kind, string Detail)
{
    /// <inheritdoc />
    public override string ToString() => $"cell {Cell}: {Kind}: {Detail}";
}

/// <summary>Checks of executed notebooks.</summary>
public static partial class OutputCheck
{
    private static readonly Dictionary<string, (QuizStatus Status, QuizKind Kind)> Badges =
        (from kind in Enum.GetValues<QuizKind>() from status in Enum.GetValues<QuizStatus>() select (status, kind))
        .ToDictionary(b => QuizResult.BadgeOf(b.kind, b.status), b => (b.status, b.kind));

    [GeneratedRegex(@"^\[(?<id>[^\]\n]+)\] [^\n]* — (?<badge>[^\n]+)$", RegexOptions.Multiline)]
    private static partial Regex Headline();

    [GeneratedRegex(@"(?<![\w.])(/home/|/root/|/work/|/tmp/|/Users/|[A-Za-z]:\\Users\\)")]
    private static partial Regex MachinePath();

    /// <summary>Every quiz or check result in the outputs, in order.</summary>
    public static IReadOnlyList<QuizOutcome> Quizzes(JsonNode notebook) =>
        [.. Outputs(notebook).SelectMany(o => Headlines(o.Cell, PlainText(o.Output)))];

    /// <summary>Every quiz or check result in a program's printed text (an exported lesson's), in order; their cell is 0.</summary>
    public static IReadOnlyList<QuizOutcome> Quizzes(string text) => [.. Headlines(0, text)];

    /// <summary>Errors, stderr, wrong quiz answers and quizzes shown as object tables.</summary>
    public static IReadOnlyList<OutputProblem> Problems(JsonNode notebook)
    {
        var problems = new List<OutputProblem>();
        foreach (var (cell, output) in Outputs(notebook))
        {
            string type = output["output_type"]?.GetValue<string>() ?? "";
            if (type == "error")
                problems.Add(new(cell, "error", $"{output["ename"]?.GetValue<string>()}: {output["evalue"]?.GetValue<string>()}"));
            if (type == "stream" && output["name"]?.GetValue<string>() == "stderr")
                problems.Add(new(cell, "stderr", Shorten(Join(output["text"]))));
            foreach (var quiz in Headlines(cell, PlainText(output)).Where(q => q.Status == QuizStatus.Wrong))
                problems.Add(new(cell, quiz.Kind switch
                {
                    QuizKind.Claim => "claim not shown by this run",
                    QuizKind.Fact => "fact does not hold",
                    QuizKind.Answer => "quiz answered wrongly",
                }, quiz.Id));
            var html = Join(output["data"]?["text/html"]);
            if (html.Contains("dni-", StringComparison.Ordinal) && ShowsQuizHeadline(html))
                problems.Add(new(cell, "quiz shown as an object table", Shorten(html)));
        }
        return problems;
    }

    /// <summary>What committed outputs must not hold: machine paths, the kernel's boot script, charts without a static picture.</summary>
    public static IReadOnlyList<OutputProblem> CommittedProblems(JsonNode notebook)
    {
        var problems = new List<OutputProblem>();
        foreach (var (cell, output) in Outputs(notebook))
        {
            var text = output.ToJsonString();
            if (text.Contains("probeAddresses", StringComparison.Ordinal) || text.Contains("dotnet-interactive-this-cell", StringComparison.Ordinal))
                problems.Add(new(cell, "kernel boot script", "the HTTP front end's probe script"));
            var data = output["data"]?.AsObject();
            foreach (var (mime, value) in data ?? [])
            {
                if (mime == "image/svg+xml" || mime == "text/html" && Join(value).Contains("textgen-chart", StringComparison.Ordinal)) continue;
                if (MachinePath().Match(Join(value)) is { Success: true } m) problems.Add(new(cell, "machine path", Around(Join(value), m.Index)));
            }
            if (output["text"] is { } stream && MachinePath().Match(Join(stream)) is { Success: true } sm)
                problems.Add(new(cell, "machine path", Around(Join(stream), sm.Index)));
            if (data is not null && Join(data["text/html"]).Contains("textgen-chart", StringComparison.Ordinal) && !data.ContainsKey("image/svg+xml"))
                problems.Add(new(cell, "chart without a static image", "no image/svg+xml beside the interactive chart"));
        }
        return problems;
    }

    /// <summary>
    /// Whether HTML from the kernel's default formatter holds a quiz result: its headline appears inside the table's
    /// tags, with the line breaks of the text form written out as "\n", so the text is searched without anchors.
    /// </summary>
    private static bool ShowsQuizHeadline(string html)
    {
        var text = System.Net.WebUtility.HtmlDecode(Tags().Replace(html, " "));
        return Badges.Keys.Any(badge => Regex.IsMatch(text, $@"\[[^\]\s]+\] [^\n]{{0,120}}? — {Regex.Escape(badge)}"));
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    private static IEnumerable<QuizOutcome> Headlines(int cell, string text)
    {
        foreach (Match m in Headline().Matches(text))
            if (Badges.TryGetValue(m.Groups["badge"].Value, out var badge)) yield return new QuizOutcome(cell, m.Groups["id"].Value, badge.Status, badge.Kind);
    }

    private static IEnumerable<(int Cell, JsonNode Output)> Outputs(JsonNode notebook)
    {
        var cells = notebook["cells"]?.AsArray() ?? [];
        for (int i = 0; i < cells.Count; i++)
            foreach (var o in cells[i]?["outputs"]?.AsArray() ?? [])
                if (o is not null) yield return (i, o);
    }

    private static string PlainText(JsonNode output) => Join(output["data"]?["text/plain"]);

    /// <summary>The text of an nbformat field, which stores multi-line text as a string or as an array of lines.</summary>
    public static string Join(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>())),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => "",
    };

    private static string Shorten(string s) => s.Length <= 300 ? s : s[..300] + "…";
    private static string Around(string s, int at) => s.Substring(Math.Max(0, at - 40), Math.Min(s.Length - Math.Max(0, at - 40), 120));
}
