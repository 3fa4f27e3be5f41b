// Every lesson runs top to bottom in quick mode; with the answer key every quiz passes.
using System.Text.Json;
using TextGen.Notebooks;
using TextGen.Quiz;
using Xunit;

namespace TextGen.Tests.Notebooks;

[Collection(ProcessStateCollection.Name)]
public class LessonTests
{
    /// <summary>The repository's notebooks folder.</summary>
    public static string NotebooksDir { get; } = FindNotebooks();

    /// <summary>The lessons reference the Release build of the library; build it once if a Debug test run lacks it.</summary>
    private static readonly Lazy<bool> ReleaseLibrary = new(() =>
    {
        var root = Path.GetDirectoryName(NotebooksDir)!;
        if (File.Exists(Path.Combine(root, "lib", "TextGen", "bin", "Release", "net10.0", "TextGen.dll"))) return true;
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet", ["build", Path.Combine(root, "lib", "TextGen", "TextGen.csproj"), "-c", "Release", "-nologo", "-v", "q"])
            { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = System.Diagnostics.Process.Start(psi)!;
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0;
    });

    /// <summary>
    /// The lessons load corpora through the cache; on a machine without internet the cache is filled from
    /// ../shared/data (verified against the catalog's checksums), as the ./textgen wrapper does.
    /// </summary>
    private static readonly Lazy<bool> CorporaCached = new(() =>
    {
        var cache = TextGen.Text.CorpusCache.Default();
        foreach (var entry in TextGen.Text.CorpusCatalog.Entries)
            if (!cache.Contains(entry) && File.Exists(SharedData.File(entry.File))) cache.AddFromFile(entry.Name, SharedData.File(entry.File));
        return true;
    });

    private static string FindNotebooks()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "notebooks", "01-setup.ipynb"))) return Path.Combine(d.FullName, "notebooks");
        throw new DirectoryNotFoundException("notebooks/ not found above the test assembly");
    }

    private static IEnumerable<string> LessonNames() => Directory.GetFiles(NotebooksDir, "*.ipynb").Select(p => Path.GetFileName(p)).Order();

    public static TheoryData<string> Lessons() => new(LessonNames());

    [Fact]
    public void There_are_eleven_lessons_numbered_in_order()
    {
        var names = LessonNames().ToList();
        Assert.Equal(11, names.Count);
        Assert.Equal(Enumerable.Range(1, 11).Select(i => i.ToString("00")), names.Select(n => n[..2]));
    }

    [Theory]
    [MemberData(nameof(Lessons))]
    public void Lesson_runs_in_quick_mode_and_every_quiz_passes_with_the_answer_key(string name)
    {
        Assert.True(ReleaseLibrary.Value, "could not build lib/TextGen in Release, which the lessons load with #r");
        _ = CorporaCached.Value;
        var result = NotebookRunner.Run(Path.Combine(NotebooksDir, name), new NotebookRunOptions(Quick: true, AnswerKey: true));
        Assert.True(result.Succeeded, $"{name}: cell {result.FailedCell} failed: {result.Error}");
        Assert.True(result.Quizzes.Count >= 3, $"{name} has {result.Quizzes.Count} quiz or check cells; every lesson needs at least three");
        Assert.All(result.Quizzes, q => Assert.True(q.Passed, q.ToString()));
    }

    [Theory]
    [MemberData(nameof(Lessons))]
    public void Lesson_has_the_polyglot_metadata_and_the_course_skeleton(string name)
    {
        var root = JsonDocument.Parse(File.ReadAllText(Path.Combine(NotebooksDir, name))).RootElement;
        Assert.Equal(4, root.GetProperty("nbformat").GetInt32());
        var meta = root.GetProperty("metadata");
        Assert.Equal(".net-csharp", meta.GetProperty("kernelspec").GetProperty("name").GetString());
        Assert.Equal("polyglot-notebook", meta.GetProperty("language_info").GetProperty("name").GetString());
        Assert.Equal("csharp", meta.GetProperty("polyglot_notebook").GetProperty("kernelInfo").GetProperty("defaultKernelName").GetString());
        var notebook = Notebook.Load(Path.Combine(NotebooksDir, name));
        Assert.StartsWith("# Lesson", notebook.Cells[0].Source);
        Assert.Contains("**Goals.**", notebook.Cells[0].Source);
        var setup = notebook.Cells.First(c => c.CellType == "code");
        Assert.StartsWith("#r \"../lib/TextGen/bin/Release/net10.0/TextGen.dll\"", setup.Source);
        Assert.Contains("dotnet build", setup.Source);
        Assert.Contains(notebook.Cells, c => c.CellType == "markdown" && c.Source.StartsWith("## Summary"));
        Assert.Contains(notebook.Cells, c => c.CellType == "markdown" && c.Source.StartsWith("## Exercises"));
    }

    [Fact]
    public void Exported_lesson_is_a_file_based_app_with_the_library_project_and_every_cell()
    {
        var target = Path.Combine(Path.GetTempPath(), $"textgen-export-{Guid.NewGuid():N}", "lesson.cs");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        NotebookExporter.Export(Path.Combine(NotebooksDir, "04-rnn-by-hand.ipynb"), target);
        var text = File.ReadAllText(target);
        Assert.Matches(@"#:project .*lib/TextGen/TextGen\.csproj", text);
        Assert.DoesNotContain("#r \"", text);
        Assert.Contains("var cell = new RnnCell", text);
        var tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(text,
            new Microsoft.CodeAnalysis.CSharp.CSharpParseOptions(Microsoft.CodeAnalysis.CSharp.LanguageVersion.Preview).WithFeatures([new("FileBasedProgram", "true")]));
        Assert.DoesNotContain(tree.GetDiagnostics(), d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        Directory.Delete(Path.GetDirectoryName(target)!, true);
    }
}
