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

    private static string Source(JsonElement cell) => cell.GetProperty("source") is { ValueKind: JsonValueKind.Array } a
        ? string.Concat(a.EnumerateArray().Select(l => l.GetString())) : cell.GetProperty("source").GetString()!;

    [Fact]
    public void Exported_lesson_is_a_file_based_app_that_dotnet_run_runs_to_the_end()
    {
        var dir = Directory.CreateTempSubdirectory("textgen-export-").FullName;
        try
        {
            var target = Path.Combine(dir, "lesson.cs");
            NotebookExporter.Export(Path.Combine(Course.NotebooksDir, "04-rnn-by-hand.ipynb"), target);
            var text = File.ReadAllText(target);
            Assert.Matches(@"#:project .*lib/TextGen/TextGen\.csproj", text);
            Assert.DoesNotContain("#r \"", text);
            Assert.Contains("new RnnCell", text);
            var (code, output) = Course.Run("dotnet", ["run", target], TimeSpan.FromMinutes(5), workingDirectory: dir);
            Assert.True(code == 0, output);
            Assert.Contains("[4.1] Question", output);   // the quiz cells print their text form
            Assert.Contains("outputs (2, 6, 4)", output); // a computed cell's output
        }
        finally { Directory.Delete(dir, true); }
    }
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
