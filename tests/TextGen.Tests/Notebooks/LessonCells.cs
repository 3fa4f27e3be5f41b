// A lesson's cells as the rule tests read them: markdown or code, and the text. Read from the .ipynb JSON directly,
// so that a rule can also be run on a small made-up lesson to show that it fails when broken.
using System.Text.Json.Nodes;

namespace TextGen.Tests.Notebooks;

/// <summary>One cell of a notebook: code or markdown, and its source text.</summary>
public sealed record LessonCell(bool IsCode, string Source)
{
    /// <summary>Whether this markdown cell opens a section: a line that starts with a heading of level 1 or 2.</summary>
    public bool OpensSection => !IsCode && Source.Split('\n').Any(l => l.StartsWith("# ", StringComparison.Ordinal) || l.StartsWith("## ", StringComparison.Ordinal));

    /// <summary>The cells of the notebook at <paramref name="path"/>, in order.</summary>
    public static IReadOnlyList<LessonCell> Read(string path) =>
        [.. JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray().Select(c => new LessonCell(
            (string?)c!["cell_type"] == "code",
            c["source"] is JsonArray lines ? string.Concat(lines.Select(l => (string?)l)) : (string?)c["source"] ?? ""))];

    /// <summary>The path of lesson <paramref name="number"/> (its file name starts with the two-digit number).</summary>
    public static string LessonPath(int number) =>
        Path.Combine(Course.NotebooksDir, Course.LessonNames.Single(n => n.StartsWith($"{number:00}-", StringComparison.Ordinal)));

    /// <summary>The lessons' and the solutions notebooks' paths.</summary>
    public static IEnumerable<string> AllNotebooks() =>
        Course.LessonNames.Select(n => Path.Combine(Course.NotebooksDir, n))
            .Concat(Directory.GetFiles(Path.Combine(Course.NotebooksDir, "solutions"), "*.ipynb").Order());
}
