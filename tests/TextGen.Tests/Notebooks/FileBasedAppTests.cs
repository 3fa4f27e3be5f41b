// Every lesson as a .NET 10 file-based app, the route that needs no notebook kernel: exported into the clone (where
// Directory.Build.props asks for nullable analysis and warnings as errors, and central package management forbids
// versions on package references, as beside the notebook), then built and run to its end with `dotnet run`, in quick
// mode with the answer key. The programs build the library in Release, as the test run already has: one build output,
// which their builds find up to date.
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TextGen.Course;
using TextGen.Notebooks;
using Xunit;

namespace TextGen.Tests.Notebooks;

public partial class FileBasedAppTests
{
    private static readonly Dictionary<string, string?> QuickWithKey = new() { ["TEXTGEN_QUICK"] = "1", ["TEXTGEN_ANSWER_KEY"] = "1", ["TEXTGEN_DATA"] = null };

    [GeneratedRegex(@"^\(chart written to (?<file>.+)\)$", RegexOptions.Multiline)]
    private static partial Regex ChartLine();

    /// <summary>An empty folder for one program in the clone's git-ignored out/, so that the repository's build files apply to it.</summary>
    private static string Folder(string name)
    {
        var dir = Path.Combine(Course.Root, "out", "lesson-apps", name);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        return Directory.CreateDirectory(dir).FullName;
    }

    private static (int ExitCode, string Output) Run(string program) =>
        Course.Run("dotnet", ["run", program], TimeSpan.FromMinutes(15), QuickWithKey, workingDirectory: Path.GetDirectoryName(program));

    [Theory]
    [MemberData(nameof(Course.Lessons), MemberType = typeof(Course))]
    public void Lesson_exported_as_a_file_based_app_runs_to_its_end_with_its_quizzes_answered_and_its_charts_written_beside_it(string name)
    {
        Course.EnsureCorpora();
        var dir = Folder(Path.GetFileNameWithoutExtension(name));
        try
        {
            var program = Path.Combine(dir, Path.ChangeExtension(name, ".cs"));
            NotebookExporter.Export(Path.Combine(Course.NotebooksDir, name), program);
            var (code, output) = Run(program);
            Assert.True(code == 0, $"{name}: dotnet run exited {code}\n{output}");
            // The same bar as the kernel runs: quiz and check results printed, none answered wrongly, the key's answers correct.
            var quizzes = OutputCheck.Quizzes(output);
            Assert.True(quizzes.Count >= 3, $"{name} printed {quizzes.Count} quiz or check results\n{output}");
            Assert.DoesNotContain(quizzes, q => q.Status == QuizStatus.Wrong);
            Assert.Contains(quizzes, q => q.Kind == QuizKind.Answer && q.Status == QuizStatus.Correct);
            var charts = ChartLine().Matches(output).Select(m => m.Groups["file"].Value.Trim()).ToList();
            if (File.ReadAllText(Path.Combine(Course.NotebooksDir, name)).Contains("Charts.", StringComparison.Ordinal))
                Assert.True(charts.Count > 0, $"{name} draws charts, and its program wrote none\n{output}");
            Assert.All(charts, file =>
            {
                Assert.Equal(dir, Path.GetDirectoryName(file));
                Assert.StartsWith("<svg", File.ReadAllText(file).TrimStart());
            });
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Names_declared_again_in_later_cells_or_nested_keep_each_cells_value_and_an_unanswered_check_runs()
    {
        var dir = Folder("export-scopes");
        try
        {
            var notebook = Path.Combine(dir, "scopes.ipynb");
            File.WriteAllText(notebook, Notebook(
                ("markdown", "# Lesson 0 — scopes\n\n**Goals.** None."),
                ("code", $"{CoursePackage.Reference}\n// Not found? Run {CoursePackage.SetupCommand} once."),
                ("markdown", "## First"),
                ("code", "var session = 1;\nforeach (var v in new[] { 10 }) Console.WriteLine($\"loop {v}\");\nsession"),
                ("markdown", "## Second\n\nThe same names again."),
                ("code", "var session = \"two\";\nvar (u, v) = (3, 4);\nConsole.WriteLine($\"{session} {u} {v}\")"),
                ("code", "Tensor unanswered = null; // ✎ 0.x\nConsole.WriteLine(unanswered is null ? \"not answered\" : \"answered\");"),
                ("code", "var session = 5;\nsession + 1")));
            var program = Path.Combine(dir, "scopes.cs");
            var renames = NotebookExporter.Export(notebook, program);
            // The later top-level declaration is spelled apart; a loop variable gives way to a name a cell declares at its top.
            Assert.Equal(new[] { ("v", "v2"), ("session", "session2"), ("session", "session3") }, renames);
            var text = File.ReadAllText(program);
            Assert.Contains("#region First\n// ## First\n", text);
            Assert.Contains("#region Second\n", text);
            Assert.Contains("var session2 = \"two\";", text);
            Assert.Contains("foreach (var v2 in new[] { 10 }) Console.WriteLine($\"loop {v2}\");", text);
            Assert.Contains("var (u, v) = (3, 4);", text);
            Assert.Contains("display(session);", text);       // a cell's last value is shown, as the kernel shows it
            Assert.Contains("Console.WriteLine($\"{session2} {u} {v}\");", text);
            Assert.Contains("display(session3 + 1);", text);   // a last value that begins with a respelled name
            Assert.Matches(@"(?m)^#:project \.\./\.\./\.\./lib/TextGen/TextGen\.csproj$", text);
            Assert.Contains("#:property Configuration=Release\n", text);   // the library optimized, as in the package
            var (code, output) = Run(program);
            Assert.True(code == 0, output);
            Assert.Equal(["loop 10", "1", "two 3 4", "not answered", "6"], output.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).TakeLast(5));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private static string Notebook(params (string Type, string Source)[] cells)
    {
        var array = new JsonArray();
        foreach (var (type, source) in cells)
            array.Add(type == "code"
                ? new JsonObject
                {
                    ["cell_type"] = "code", ["execution_count"] = null, ["outputs"] = new JsonArray(), ["source"] = source,
                    ["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } },
                }
                : new JsonObject { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = source });
        var metadata = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = ".net-csharp", ["display_name"] = ".NET (C#)", ["language"] = "C#" } };
        return new JsonObject { ["cells"] = array, ["metadata"] = metadata, ["nbformat"] = 4, ["nbformat_minor"] = 5 }.ToJsonString();
    }
}
