// The in-process kernel runner on small notebooks written for the test: state carries from cell to cell,
// a display updated in place keeps one output, stderr is recorded, the first failing cell is named and
// stops the run, and written outputs keep the file's own metadata and are stamped with the run's budget and code.
using System.Text.Json.Nodes;
using TextGen.Notebooks;
using Xunit;

namespace TextGen.Tests.Notebooks;

[Collection(ProcessStateCollection.Name)]
public class RunnerTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("textgen-nb-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Write(params string[] cells) => SmallNotebooks.Write(dir, cells);

    private static JsonArray Outputs(JsonNode notebook, int cell) => notebook["cells"]![cell]!["outputs"]!.AsArray();

    [Fact]
    public async Task State_carries_between_cells_and_a_display_updated_in_place_keeps_one_output()
    {
        // The update goes out with the id of the first display, as TextGen's progress line sends it.
        var path = Write("int x = 20;\nConsole.WriteLine(\"hello\");",
            "using Microsoft.DotNet.Interactive;\nusing Microsoft.DotNet.Interactive.Events;\nusing Microsoft.DotNet.Interactive.Formatting;\n" +
            "var c = KernelInvocationContext.Current;\nc.Publish(new DisplayedValueProduced(\"first\", c.Command, FormattedValue.CreateManyFromObject(\"first\", \"text/plain\"), \"line\"));\n" +
            "c.Publish(new DisplayedValueUpdated(\"second\", \"line\", c.Command, FormattedValue.CreateManyFromObject(\"second\", \"text/plain\")));\nx + 22");
        var r = await NotebookRunner.RunAsync(path, new NotebookRunOptions(WriteOutputs: true));
        Assert.True(r.Succeeded, r.Error);
        var written = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal("hello\n", OutputCheck.Join(Outputs(written, 0)[0]!["text"]));
        var second = Outputs(written, 1);
        Assert.Equal(2, second.Count);
        Assert.Equal("second", OutputCheck.Join(second[0]!["data"]!["text/plain"]));
        Assert.Equal("execute_result", second[1]!["output_type"]!.GetValue<string>());
        // As in the tool's Jupyter kernel, a plain value is formatted as HTML only.
        Assert.Contains("<pre>42</pre>", OutputCheck.Join(second[1]!["data"]!["text/html"]));
        Assert.Equal(2, written["cells"]![1]!["execution_count"]!.GetValue<int>());
        Assert.Equal("polyglot-notebook", written["metadata"]!["language_info"]!["name"]!.GetValue<string>());
        Assert.Equal("csharp", written["metadata"]!["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]!.GetValue<string>());
        // The run stamps its budget, the code it ran and the outputs it wrote; editing a code cell afterwards breaks the match.
        var stamp = OutputStamp.Of(written)!;
        Assert.Equal(("full", OutputStamp.Fingerprint(written), OutputStamp.OutputsFingerprint(written)), (stamp.Budget, stamp.Code, stamp.Outputs));
        Assert.Equal("", stamp.Sources);   // a notebook outside a repository ran with no library sources to record
        Assert.True(stamp.Seconds > 0 && stamp.Seconds < r.Elapsed.TotalSeconds + 1, $"recorded {stamp.Seconds} s for a run of {r.Elapsed.TotalSeconds} s");
        var edited = written.DeepClone();
        edited["cells"]![0]!["source"] = "int x = 21;";
        Assert.NotEqual(OutputStamp.Of(edited)!.Code, OutputStamp.Fingerprint(edited));
    }

    [Fact]
    public async Task A_failing_cell_is_named_with_its_error_and_later_cells_do_not_run()
    {
        var r = await NotebookRunner.RunAsync(Write("int a = 1;", "int b = a / 0;", "Console.WriteLine(\"never\");"));
        Assert.False(r.Succeeded);
        Assert.Equal(1, r.FailedCell);
        Assert.Contains("DivideByZeroException", r.Error);
        Assert.Equal(1, r.CellsRun);
        Assert.Equal("error", Assert.Single(r.Problems).Kind);
        var c = await NotebookRunner.RunAsync(Write("int a = ;"));
        Assert.Equal(0, c.FailedCell);
        Assert.Contains("CS1525", c.Error);
    }

    [Fact]
    public async Task Stderr_and_compiler_warnings_are_recorded_as_stderr_problems()
    {
        var r = await NotebookRunner.RunAsync(Write("Console.Error.WriteLine(\"careful\");", "#warning mind this\nint z = 1;"));
        Assert.True(r.Succeeded, r.Error);
        Assert.Equal([0, 1], r.Problems.Where(p => p.Kind == "stderr").Select(p => p.Cell));
        Assert.Contains("careful", r.Problems[0].Detail);
    }

    [Fact]
    public async Task The_course_package_loads_with_its_formatters_and_a_wrong_answer_is_a_problem()
    {
        Course.EnsurePackage();
        // A wrong choice taken from the bank, so the test does not depend on where the right one sits.
        int wrong = TextGen.Course.QuestionBank.Get("3.1").Answer % 4 + 1;
        var r = await NotebookRunner.RunAsync(Write(CoursePackage.Reference + "\nusing TextGen.Course;", "Quiz.Ask(\"3.1\")", $"Quiz.Ask(\"3.1\", {wrong})",
            "TextGen.Tensors.Tensor.Zeros(2, 3)"), new NotebookRunOptions(WriteOutputs: true));
        Assert.True(r.Succeeded, r.Error);
        Assert.Equal([TextGen.Course.QuizStatus.Unanswered, TextGen.Course.QuizStatus.Wrong], r.Quizzes.Select(q => q.Status));
        Assert.Equal("quiz answered wrongly", Assert.Single(r.Problems).Kind);
        var written = JsonNode.Parse(r.Json)!;
        Assert.Contains("textgen-quiz", OutputCheck.Join(Outputs(written, 1)[0]!["data"]!["text/html"]));
        Assert.Contains("textgen-tensor", OutputCheck.Join(Outputs(written, 3)[0]!["data"]!["text/html"]));
    }
}
