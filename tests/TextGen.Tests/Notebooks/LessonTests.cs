// Every lesson, in quick mode with the answer key, through `textgen notebook run` (the real C# kernel hosted
// in process): no cell fails, nothing reaches stderr, no quiz is answered wrongly or shown as an object
// table. The lessons' skeleton and the export to a file-based app are checked here too.
using System.Text.Json;
using System.Text.Json.Nodes;
using TextGen.Notebooks;
using TextGen.Course;
using Xunit;

namespace TextGen.Tests.Notebooks;

public class LessonTests
{
    [Fact]
    public void There_are_eleven_lessons_numbered_in_order()
    {
        Assert.Equal(11, Course.LessonNames.Count);
        Assert.Equal(Enumerable.Range(1, 11).Select(i => i.ToString("00")), Course.LessonNames.Select(n => n[..2]));
    }

    [Theory]
    [MemberData(nameof(Course.Lessons), MemberType = typeof(Course))]
    public void Lesson_runs_clean_through_textgen_notebook_run_in_quick_mode(string name)
    {
        Course.EnsurePackage();
        var outDir = Directory.CreateTempSubdirectory("textgen-run-").FullName;
        try
        {
            var r = Cli.CliRunner.Run(Course.Root, TimeSpan.FromMinutes(10), new Dictionary<string, string?> { ["TEXTGEN_DATA"] = null },
                "notebook", "run", Path.Combine(Course.NotebooksDir, name), "--quick", "--answer-key", "--output-dir", outDir);
            var executed = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, name)))!;
            LessonOutputs.AssertClean(name, executed, $"exit {r.ExitCode}\n{r.Stdout}\n{r.Stderr}");
            Assert.True(r.ExitCode == 0, $"{name}: textgen notebook run exited {r.ExitCode}\n{r.Stdout}\n{r.Stderr}");
        }
        finally { Directory.Delete(outDir, true); }
    }

    [Theory]
    [MemberData(nameof(Course.Lessons), MemberType = typeof(Course))]
    public void Lesson_has_the_polyglot_metadata_the_package_reference_and_the_course_skeleton(string name)
    {
        var root = JsonDocument.Parse(File.ReadAllText(Path.Combine(Course.NotebooksDir, name))).RootElement;
        Assert.Equal(4, root.GetProperty("nbformat").GetInt32());
        var meta = root.GetProperty("metadata");
        Assert.Equal(".net-csharp", meta.GetProperty("kernelspec").GetProperty("name").GetString());
        Assert.Equal("polyglot-notebook", meta.GetProperty("language_info").GetProperty("name").GetString());
        Assert.Equal("csharp", meta.GetProperty("polyglot_notebook").GetProperty("kernelInfo").GetProperty("defaultKernelName").GetString());
        var cells = root.GetProperty("cells").EnumerateArray().Select(c => (Type: c.GetProperty("cell_type").GetString()!, Source: Source(c))).ToList();
        Assert.StartsWith("# Lesson", cells[0].Source);
        Assert.Contains("**Goals.**", cells[0].Source);
        var setup = cells.First(c => c.Type == "code").Source;
        // As short as the kernel allows: the package, and the command to run when it is missing (within 100 characters).
        Assert.Equal([CoursePackage.Reference, $"// Not found? Run {CoursePackage.SetupCommand} once in the repository, then restart the kernel."],
            setup.TrimEnd().Split('\n'));
        Assert.Contains(cells, c => c.Type == "markdown" && c.Source.StartsWith("## Summary"));
        Assert.Contains(cells, c => c.Type == "markdown" && c.Source.StartsWith("## Exercises"));
    }

    [Theory]
    [MemberData(nameof(Course.Lessons), MemberType = typeof(Course))]
    public void Lesson_is_kernel_neutral_csharp_cells_without_magics_and_packages_only_through_nuget_references(string name)
    {
        // .NET Interactive is deprecated: a lesson must run in any C# Jupyter kernel and export to a plain program, so it
        // uses no magic commands (#!...), no #i sources and no #r of a path, only `#r "nuget: ..."` of the course's packages.
        var cells = JsonDocument.Parse(File.ReadAllText(Path.Combine(Course.NotebooksDir, name))).RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("cell_type").GetString() == "code").ToList();
        foreach (var cell in cells)
        {
            if (cell.GetProperty("metadata").TryGetProperty("polyglot_notebook", out var polyglot))
                Assert.Equal("csharp", polyglot.GetProperty("kernelName").GetString());
            foreach (var line in Source(cell).Split('\n').Select(l => l.Trim()))
            {
                Assert.False(line.StartsWith("#!", StringComparison.Ordinal), $"{name}: magic command '{line}'");
                Assert.False(line.StartsWith("#i ", StringComparison.Ordinal) || line.StartsWith("#load", StringComparison.Ordinal), $"{name}: '{line}'");
                if (line.StartsWith("#r ", StringComparison.Ordinal))
                    Assert.Matches($@"^#r ""nuget: ({string.Join('|', CoursePackage.PackageProjects.Keys.Select(System.Text.RegularExpressions.Regex.Escape))}), {System.Text.RegularExpressions.Regex.Escape(CoursePackage.Version)}""$", line);
            }
        }
    }

    private static string Source(JsonElement cell) => cell.GetProperty("source") is { ValueKind: JsonValueKind.Array } a
        ? string.Concat(a.EnumerateArray().Select(l => l.GetString())) : cell.GetProperty("source").GetString()!;
}

/// <summary>The assertions every executed lesson must pass, wherever it ran.</summary>
public static class LessonOutputs
{
    /// <summary>No error, no stderr, no wrong or table-shaped quiz, and at least three quiz or check cells.</summary>
    public static void AssertClean(string name, JsonNode executed, string context)
    {
        var problems = OutputCheck.Problems(executed);
        Assert.True(problems.Count == 0, $"{name}:\n{string.Join("\n", problems)}\n{context}");
        var quizzes = OutputCheck.Quizzes(executed);
        Assert.True(quizzes.Count >= 3, $"{name} shows {quizzes.Count} quiz or check results; every lesson has at least three\n{context}");
        Assert.DoesNotContain(quizzes, q => q.Status == QuizStatus.Wrong);
        // Under the answer key every multiple-choice question is answered, so each lesson shows correct answers.
        Assert.Contains(quizzes, q => q.Status == QuizStatus.Correct);
    }
}
