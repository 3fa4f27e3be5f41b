// The outputs committed in the lessons are what GitHub, nbviewer and a learner opening a lesson first see.
// They come from a full run in the real kernel: every code cell ran, nothing failed, no machine paths, no
// kernel boot script, every chart carries its static picture beside the interactive one, and the outputs were
// written by a full-budget run of the cells as they are now and not edited since, with every claim shown and checked.
using System.Text.Json.Nodes;
using TextGen.Notebooks;
using Xunit;

namespace TextGen.Tests.Notebooks;

public class CommittedOutputTests
{
    [Theory]
    [MemberData(nameof(Course.Lessons), MemberType = typeof(Course))]
    public void Committed_outputs_come_from_a_clean_run_and_hold_no_machine_paths_or_boot_scripts(string name)
    {
        var notebook = JsonNode.Parse(File.ReadAllText(Path.Combine(Course.NotebooksDir, name)))!;
        var code = notebook["cells"]!.AsArray().Where(c => c!["cell_type"]!.GetValue<string>() == "code").ToList();
        Assert.All(code, c => Assert.True(c!["execution_count"] is not null, $"{name}: a code cell has not been run"));
        Assert.Equal(Enumerable.Range(1, code.Count), code.Select(c => c!["execution_count"]!.GetValue<int>()));
        var problems = OutputCheck.Problems(notebook).Concat(OutputCheck.CommittedProblems(notebook)).ToList();
        Assert.True(problems.Count == 0, $"{name}:\n{string.Join("\n", problems)}");
        Assert.DoesNotContain(Course.Root, notebook.ToJsonString());
        // The outputs are the record of a clean full-budget run of these cells: stamped, not edited since, every claim the
        // code makes shown, checked and with its bar (OutputStamp.Problems).
        var record = OutputStamp.Problems(notebook);
        Assert.True(record.Count == 0, $"{name}:\n{string.Join("\n", record)}");
    }

    [Fact]
    public void The_committed_check_finds_machine_paths_boot_scripts_and_charts_without_a_picture()
    {
        JsonNode Notebook(JsonObject output) => new JsonObject { ["cells"] = new JsonArray(new JsonObject { ["cell_type"] = "code", ["outputs"] = new JsonArray(output) }) };
        var path = Notebook(new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = "cache: /home/learner/textgen/data/cache\n" });
        var boot = Notebook(new JsonObject { ["output_type"] = "display_data", ["data"] = new JsonObject { ["text/html"] = "<script>async function probeAddresses(a) {}</script>" } });
        var chart = Notebook(new JsonObject { ["output_type"] = "display_data", ["data"] = new JsonObject { ["text/html"] = "<div class=\"textgen-chart\"></div>" } });
        Assert.Equal("machine path", Assert.Single(OutputCheck.CommittedProblems(path)).Kind);
        Assert.Equal("kernel boot script", Assert.Single(OutputCheck.CommittedProblems(boot)).Kind);
        Assert.Equal("chart without a static image", Assert.Single(OutputCheck.CommittedProblems(chart)).Kind);
        var relative = Notebook(new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = "cache: ../data/cache\n" });
        Assert.Empty(OutputCheck.CommittedProblems(relative));
    }

    [Fact]
    public void The_run_check_finds_errors_stderr_wrong_answers_and_quizzes_shown_as_object_tables()
    {
        JsonNode Notebook(params JsonObject[] outputs) => new JsonObject { ["cells"] = new JsonArray(new JsonObject { ["cell_type"] = "code", ["outputs"] = new JsonArray(outputs) }) };
        var wrong = new TextGen.Course.QuizResult("2.1", TextGen.Course.QuizStatus.Wrong, "Question (easy)", "Why?", ["a", "b"], ["Hint: think"]);
        var notebook = Notebook(
            new JsonObject { ["output_type"] = "error", ["ename"] = "Error", ["evalue"] = "boom", ["traceback"] = new JsonArray() },
            new JsonObject { ["output_type"] = "stream", ["name"] = "stderr", ["text"] = "warning CS0168" },
            new JsonObject { ["output_type"] = "execute_result", ["data"] = new JsonObject { ["text/plain"] = wrong.ToString() } },
            new JsonObject { ["output_type"] = "execute_result", ["data"] = new JsonObject { ["text/html"] = "<details class=\"dni-treeview\"><code>[1.1] Question — ✔ correct</code></details>" } });
        Assert.Equal(["error", "stderr", "quiz answered wrongly", "quiz shown as an object table"], OutputCheck.Problems(notebook).Select(p => p.Kind));
        Assert.Equal([TextGen.Course.QuizStatus.Wrong], OutputCheck.Quizzes(notebook).Select(q => q.Status));
    }
}
