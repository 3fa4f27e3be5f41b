// The notebook runner on small notebooks written for the test: failures name the cell, NuGet
// references are refused, displays and updates are captured, unanswered quizzes do not fail.
using System.Text.Json.Nodes;
using TextGen.Notebooks;
using TextGen.Quiz;
using Xunit;

namespace TextGen.Tests.Notebooks;

[Collection(ProcessStateCollection.Name)]
public class RunnerTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("textgen-nb-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Write(params string[] cells)
    {
        var path = Path.Combine(dir, $"nb{Guid.NewGuid():N}.ipynb");
        var array = new JsonArray();
        foreach (var c in cells)
            array.Add(new JsonObject
            {
                ["cell_type"] = "code", ["execution_count"] = null, ["outputs"] = new JsonArray(), ["source"] = c,
                ["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } },
            });
        File.WriteAllText(path, new JsonObject { ["cells"] = array, ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 5 }.ToJsonString());
        return path;
    }

    private static string LibraryRef => $"#r \"{typeof(TextGen.Tensors.Tensor).Assembly.Location}\"";

    [Fact]
    public void State_carries_from_cell_to_cell_and_outputs_are_captured()
    {
        var path = Write("int x = 20;\nConsole.WriteLine(\"hello\");", "#!csharp\nvar h = display(\"first\");\nh.Update(\"second\");\nx + 22");
        var r = NotebookRunner.Run(path, new NotebookRunOptions(WriteOutputs: true));
        Assert.True(r.Succeeded, r.Error);
        Assert.Equal("hello\n", r.Outputs[0][0].Data["text/plain"]);
        Assert.Equal("second", r.Outputs[1][0].Data["text/plain"]);
        Assert.Equal("42", r.Outputs[1][1].Data["text/plain"]);
        var written = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal(2, written["cells"]![1]!["execution_count"]!.GetValue<int>());
    }

    [Fact]
    public void A_failing_cell_is_named_with_its_error_and_later_cells_do_not_run()
    {
        var r = NotebookRunner.Run(Write("int a = 1;", "int b = a / 0;", "Console.WriteLine(\"never\");"));
        Assert.False(r.Succeeded);
        Assert.Equal(1, r.FailedCell);
        Assert.Contains("DivideByZeroException", r.Error);
        Assert.Equal(1, r.CellsRun);
        var c = NotebookRunner.Run(Write("int a = ;"));
        Assert.Equal(0, c.FailedCell);
        Assert.Contains("CS1525", c.Error);
    }

    [Fact]
    public void Nuget_references_are_refused_with_the_alternative()
    {
        var r = NotebookRunner.Run(Write("#r \"nuget: Plotly.NET\""));
        Assert.False(r.Succeeded);
        Assert.Contains("#r \"path.dll\"", r.Error);
    }

    [Fact]
    public void Unanswered_quiz_is_reported_without_failing_and_a_wrong_answer_gets_the_hint()
    {
        var r = NotebookRunner.Run(Write(LibraryRef + "\nusing TextGen.Quiz;\nQuiz.Ask(\"3.1\")", "Quiz.Ask(\"3.1\", 2)", "Quiz.Ask(\"3.1\", 1)"));
        Assert.True(r.Succeeded, r.Error);
        Assert.Equal([QuizStatus.Unanswered, QuizStatus.Wrong, QuizStatus.Correct], r.Quizzes.Select(q => q.Status));
        Assert.Contains("embedding size", r.Quizzes[1].ToString());
        Assert.Contains("text/html", r.Outputs[1][0].Data.Keys);
    }
}
