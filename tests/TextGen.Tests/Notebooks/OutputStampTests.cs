// The stamp a run leaves in the notebook covers what it wrote: on small notebooks run for the test (the library from
// this build), the committed-output check passes an honest full run, fails an output edited afterwards, a changed code
// cell, a quick run, a claim the code makes that no output shows and a claim shown "○" in a full-budget stamp; and a
// notebook laid out again (another indentation, text as lists of lines) keeps its fingerprint.
using System.Text.Json.Nodes;
using TextGen.Notebooks;
using Xunit;

namespace TextGen.Tests.Notebooks;

[Collection(ProcessStateCollection.Name)]
public class OutputStampTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("textgen-stamp-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private const string GoodClaim = "double a = 2, b = 1;\nConsole.WriteLine($\"a = {a}\");\n" +
        "Claim.That(\"t.good\", \"two is more than one\", holds: a > b, evidence: $\"{a} against {b}\", bar: \"any excess shows it\")";

    private async Task<JsonNode> Run(bool quick, params string[] cells)
    {
        var path = SmallNotebooks.Write(dir, cells);
        var r = await NotebookRunner.RunAsync(path, new NotebookRunOptions(Quick: quick, WriteOutputs: true, UseBuild: true));
        Assert.True(r.Succeeded, r.Error);
        return JsonNode.Parse(File.ReadAllText(path))!;
    }

    private static string Kinds(IEnumerable<string> problems) => string.Join("\n", problems);

    [Fact]
    public async Task An_honest_full_run_passes_and_an_edited_output_or_code_cell_fails()
    {
        var written = await Run(false, GoodClaim);
        Assert.Empty(OutputStamp.Problems(written));

        var edited = written.DeepClone();
        var stdout = edited["cells"]![0]!["outputs"]!.AsArray().First(o => o!["output_type"]!.GetValue<string>() == "stream")!;
        stdout["text"] = "a = 3\n";
        Assert.Contains("the outputs differ from what the run wrote", Kinds(OutputStamp.Problems(edited)));

        var badge = written.DeepClone();
        foreach (var o in badge["cells"]![0]!["outputs"]!.AsArray())
            if (o!["data"]?["text/plain"] is { } text) o["data"]!["text/plain"] = OutputCheck.Join(text).Replace("2 against 1", "3 against 1");
        Assert.Contains("the outputs differ from what the run wrote", Kinds(OutputStamp.Problems(badge)));

        var code = written.DeepClone();
        code["cells"]![0]!["source"] = GoodClaim.Replace("a = 2", "a = 3");
        Assert.Contains("a code cell changed after its outputs were written", Kinds(OutputStamp.Problems(code)));

        var unstamped = written.DeepClone();
        unstamped["metadata"]!.AsObject().Remove("textgen");
        Assert.Contains("no run stamp", Kinds(OutputStamp.Problems(unstamped)));
    }

    [Fact]
    public async Task The_fingerprints_do_not_depend_on_how_the_file_is_laid_out()
    {
        var written = await Run(false, GoodClaim, "Console.WriteLine(\"one\\ntwo\\nthree\");");
        // What nbedit and Jupyter write: text as lists of lines, other key order, other indentation, \r\n line ends.
        var relaid = JsonNode.Parse(written.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }))!;
        foreach (var cell in relaid["cells"]!.AsArray())
        {
            cell!["source"] = Lines(OutputCheck.Join(cell["source"]));
            foreach (var o in cell["outputs"]!.AsArray())
            {
                if (o!["text"] is { } t) o["text"] = Lines(OutputCheck.Join(t).Replace("\n", "\r\n"));
                if (o["data"] is JsonObject data)
                {
                    var reordered = new JsonObject();
                    foreach (var (mime, value) in data.Reverse().ToList()) reordered[mime] = value is JsonValue v && v.TryGetValue<string>(out var s) ? Lines(s) : value!.DeepClone();
                    o["data"] = reordered;
                }
            }
        }
        Assert.Equal(OutputStamp.Fingerprint(written), OutputStamp.Fingerprint(relaid));
        Assert.Equal(OutputStamp.OutputsFingerprint(written), OutputStamp.OutputsFingerprint(relaid));
        Assert.Empty(OutputStamp.Problems(relaid));
    }

    private static JsonArray Lines(string text)
    {
        var parts = text.Split('\n');
        var lines = new JsonArray();
        for (int i = 0; i < parts.Length; i++)
            if (i < parts.Length - 1) lines.Add(parts[i] + "\n");
            else if (parts[i].Length > 0) lines.Add(parts[i]);
        return lines;
    }

    [Fact]
    public async Task A_missing_claim_or_one_not_checked_in_a_full_budget_stamp_fails_and_a_quick_stamp_says_so()
    {
        var full = await Run(false, GoodClaim,
            "if (DateTime.Now.Year < 2000) display(Claim.That(\"t.missing\", \"never shown\", holds: true, evidence: \"\", bar: \"b\"));",
            "Lesson.Budget = LessonBudget.Quick;\ndisplay(Claim.That(\"t.open\", \"checked on the full budget\", holds: true, evidence: $\"{a}\", bar: \"b\"));\nLesson.Budget = LessonBudget.Full;");
        var problems = Kinds(OutputStamp.Problems(full));
        Assert.Contains("claim missing from the outputs: t.missing", problems);
        Assert.Contains("claim not checked (○) in a full-budget run: t.open", problems);
        Assert.DoesNotContain("t.good", problems);

        var quick = await Run(true, GoodClaim);
        var quickProblems = OutputStamp.Problems(quick);
        Assert.Contains("the outputs come from a quick run", Kinds(quickProblems));
        Assert.DoesNotContain("○", Kinds(quickProblems));   // on the quick budget a claim is only shown
    }
}
