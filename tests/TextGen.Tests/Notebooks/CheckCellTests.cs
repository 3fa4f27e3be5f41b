// Every lesson's check cells can fail: each cell where the learner writes code or a value (the lines marked
// "// ✎ id") is run as the learner finds it (unanswered), with the common mistake from the lesson's
// solutions notebook (it must fail, with a hint), and with the reference solution (it must pass).
using System.Text.RegularExpressions;
using TextGen.Notebooks;
using TextGen.Course;
using Xunit;

namespace TextGen.Tests.Notebooks;

[Collection(ProcessStateCollection.Name)]
public partial class CheckCellTests
{
    [GeneratedRegex(@"//\s*✎\s*(?<id>\d+\.[\w-]+)")]
    private static partial Regex Marker();

    /// <summary>A lesson's check cells: their index, their id, and the solution and mistake code from the solutions notebook.</summary>
    public sealed record CheckCell(int Index, string Id, string Solution, string Mistake);

    public static string SolutionsPath(string lesson) => Path.Combine(Course.NotebooksDir, "solutions", lesson);

    /// <summary>Reads the lesson's marked cells and pairs them with the solutions notebook's cells for the same id.</summary>
    public static IReadOnlyList<CheckCell> CheckCells(string lesson)
    {
        var (document, _) = NotebookRunner.Read(Path.Combine(Course.NotebooksDir, lesson));
        var byId = new Dictionary<string, Dictionary<string, string>>();
        if (File.Exists(SolutionsPath(lesson)))
            foreach (var cell in NotebookRunner.Read(SolutionsPath(lesson)).Document.Elements)
                if (cell.Metadata?.TryGetValue("textgen", out var t) == true && t is IDictionary<string, object> textgen
                    && textgen.TryGetValue("check", out var id) && textgen.TryGetValue("role", out var role))
                    (byId.TryGetValue($"{id}", out var roles) ? roles : byId[$"{id}"] = [])[$"{role}"] = cell.Contents;
        var cells = new List<CheckCell>();
        for (int i = 0; i < document.Elements.Count; i++)
            foreach (var id in Marker().Matches(document.Elements[i].Contents).Select(m => m.Groups["id"].Value).Distinct())
            {
                var roles = byId.GetValueOrDefault(id) ?? [];
                Assert.True(roles.ContainsKey("solution") && roles.ContainsKey("mistake"),
                    $"{lesson}: check {id} needs a solution cell and a mistake cell in notebooks/solutions/{lesson} (metadata textgen.check = \"{id}\", textgen.role = \"solution\" / \"mistake\")");
                cells.Add(new CheckCell(i, id, roles["solution"], roles["mistake"]));
            }
        return cells;
    }

    /// <summary>The cell with its marked lines replaced by <paramref name="answer"/>.</summary>
    public static string WithAnswer(string cell, string id, string answer)
    {
        var lines = cell.Split('\n').ToList();
        int first = lines.FindIndex(l => Marker().Match(l) is { Success: true } m && m.Groups["id"].Value == id);
        int last = lines.FindLastIndex(l => Marker().Match(l) is { Success: true } m && m.Groups["id"].Value == id);
        return string.Join('\n', lines.Take(first).Append(answer.TrimEnd()).Concat(lines.Skip(last + 1)));
    }

    [Theory]
    [MemberData(nameof(Course.Lessons), MemberType = typeof(Course))]
    public async Task Every_check_cell_stays_open_unanswered_fails_the_common_mistake_with_a_hint_and_passes_the_solution(string lesson)
    {
        Course.EnsureCorpora();
        var checks = CheckCells(lesson);
        Assert.True(checks.Select(c => c.Id).Distinct().Count() >= 2, $"{lesson} has {checks.Count} check cells (lines marked // ✎ id); each lesson needs at least two");
        var (document, _) = NotebookRunner.Read(Path.Combine(Course.NotebooksDir, lesson));
        using var session = await KernelSession.StartAsync(Course.NotebooksDir, new NotebookRunOptions(Quick: true, UseBuild: true));
        for (int i = 0; i < document.Elements.Count; i++)
        {
            var cell = document.Elements[i];
            if (!NotebookRunner.IsCode(cell)) continue;
            var here = checks.Where(c => c.Index == i).ToList();
            var code = cell.Contents;
            foreach (var check in here)
            {
                Assert.Equal(QuizStatus.Unanswered, await Outcome(session, code, check.Id, "as the learner finds it"));
                Assert.Equal(QuizStatus.Wrong, await Outcome(session, WithAnswer(code, check.Id, check.Mistake), check.Id, "with the common mistake"));
                code = WithAnswer(code, check.Id, check.Solution);
            }
            var result = await session.RunAsync(code, NotebookRunner.KernelNameOf(cell));
            Assert.True(result.Failure is null, $"{lesson} cell {i}: {result.Failure}");
            foreach (var check in here)
                Assert.True(OutcomesOf(result, check.Id).SingleOrDefault()?.Status == QuizStatus.Correct, $"{lesson} check {check.Id}: the reference solution does not pass\n{Text(result)}");
        }
    }

    private static async Task<QuizStatus?> Outcome(KernelSession session, string code, string id, string variant)
    {
        var result = await session.RunAsync(code, "csharp");
        Assert.True(result.Failure is null, $"check {id} {variant}: the cell failed: {result.Failure}");
        var outcome = OutcomesOf(result, id).SingleOrDefault();
        Assert.True(outcome is not null, $"check {id} {variant}: no result for {id} in\n{Text(result)}");
        if (outcome.Status == QuizStatus.Wrong)
            Assert.Matches(@"→ \S", Text(result));   // a wrong answer comes with feedback that says what to look at
        return outcome.Status;
    }

    private static IEnumerable<QuizOutcome> OutcomesOf(CellRecorder result, string id) =>
        OutputCheck.Quizzes(System.Text.Json.Nodes.JsonNode.Parse(
            $"{{\"cells\":[{{\"cell_type\":\"code\",\"outputs\":[{{\"output_type\":\"display_data\",\"data\":{{\"text/plain\":{System.Text.Json.JsonSerializer.Serialize(Text(result))}}}}}]}}]}}")!)
        .Where(q => q.Id == id);

    private static string Text(CellRecorder result) => string.Join("\n", result.Outputs.Select(o => o switch
    {
        Microsoft.DotNet.Interactive.Documents.DisplayElement d => d.Data.TryGetValue("text/plain", out var t) ? $"{t}" : "",
        Microsoft.DotNet.Interactive.Documents.ReturnValueElement r => r.Data.TryGetValue("text/plain", out var t) ? $"{t}" : "",
        Microsoft.DotNet.Interactive.Documents.TextElement s => s.Text,
        _ => "",
    }));
}
