// The full-budget verification CI runs (`textgen notebook verify`), on small notebooks written for the test: a notebook
// whose claims hold passes; planted faults fail it, each named: a claim that does not hold, a NaN in the evidence, a
// claim the code makes that no output shows, a claim shown "○", a claim without its bar. The command exits non-zero and
// its log lists each claim with its evidence. The selection of lessons changed since their recorded run is checked on
// stamped notebooks in a repository made for the test.
using System.Text.Json.Nodes;
using TextGen.Notebooks;
using Xunit;

namespace TextGen.Tests.Notebooks;

[Collection(ProcessStateCollection.Name)]
public class ClaimVerificationTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("textgen-verify-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static readonly string[] Good =
    [
        "double a = 2, b = 1;\nClaim.That(\"t.good\", \"two is more than one\", holds: a > b, evidence: $\"{a} against {b}\", bar: \"any excess shows it\")",
        "Claim.Fact(\"t.fact\", \"six is two threes\", holds: 2 * 3 == 6, evidence: $\"{2 * 3}\")",
    ];

    private static readonly string[] Planted =
    [
        Good[0],
        "Claim.That(\"t.fails\", \"one is more than two\", holds: b > a, evidence: $\"{b} against {a}\", bar: \"any excess\")",
        "double nan = double.NaN;\nClaim.That(\"t.nan\", \"a NaN never passes\", holds: !(nan < 1), evidence: $\"{nan}\", bar: \"b\")",
        "if (DateTime.Now.Year < 2000) display(Claim.That(\"t.missing\", \"never shown\", holds: true, evidence: \"\", bar: \"b\"));",
        "Lesson.Budget = LessonBudget.Quick;\ndisplay(Claim.That(\"t.open\", \"checked on the full budget\", holds: true, evidence: $\"{a}\", bar: \"b\"));\nLesson.Budget = LessonBudget.Full;",
        "Claim.That(\"t.nobar\", \"a claim without its bar\", holds: true, evidence: $\"{a}\")",
    ];

    [Fact]
    public async Task A_notebook_whose_claims_hold_passes_with_each_claim_evidence_and_bar_reported()
    {
        var v = await ClaimVerifier.VerifyAsync(SmallNotebooks.Write(dir, Good), new VerifyOptions(UseBuild: true));
        Assert.True(v.Passed, string.Join("\n", v.Problems));
        Assert.Equal(["t.good", "t.fact"], v.Claims.Select(c => c.Id));
        Assert.Equal(("2 against 1", "any excess shows it"), (v.Claims[0].Evidence, v.Claims[0].Bar));
        var log = new StringWriter();
        ClaimVerifier.Report(v, log);
        Assert.Contains("✔ t.good (experiment): two is more than one", log.ToString());
        Assert.Contains("✔ t.fact (fact): six is two threes", log.ToString());
        Assert.Contains("verified", log.ToString());
    }

    [Fact]
    public async Task Planted_faults_each_fail_the_verification_and_are_named()
    {
        var v = await ClaimVerifier.VerifyAsync(SmallNotebooks.Write(dir, Planted), new VerifyOptions(UseBuild: true));
        Assert.False(v.Passed);
        Assert.Equal(
        [
            "claim not shown by this run: t.fails",
            "claim not shown by this run: t.nan",
            "claim missing from the outputs: t.missing",
            "claim not checked (○) in a full-budget run: t.open",
            "claim without its bar (why this threshold): t.nobar",
        ], v.Problems.Select(p => $"{p.Kind}: {p.Detail}").OrderBy(Rank));
        Assert.Contains("not a finite number: NaN", v.Claims.Single(c => c.Id == "t.nan").Evidence);
    }

    private static int Rank(string problem) => Array.FindIndex(["t.fails", "t.nan", "t.missing", "t.open", "t.nobar"], id => problem.EndsWith(id, StringComparison.Ordinal));

    [Fact]
    public void The_command_exits_non_zero_on_a_planted_failure_and_its_log_shows_every_claim()
    {
        string good = SmallNotebooks.Write(dir, Good), planted = SmallNotebooks.Write(dir, Planted);
        var fails = Cli.CliRunner.Run(dir, TimeSpan.FromMinutes(4), new Dictionary<string, string?>(), "notebook", "verify", good, planted, "--use-build");
        Assert.True(fails.ExitCode == 1, $"exit {fails.ExitCode}\n{fails.Stdout}\n{fails.Stderr}");
        foreach (var line in new[] { "✔ t.good (experiment)", "evidence: 2 against 1", "why this bar: any excess shows it", "✘ t.fails (experiment)",
                     "problem: cell 3: claim missing from the outputs: t.missing", "verified 2 lessons in", $"1 failed: {Path.GetFileName(planted)}" })
            Assert.Contains(line, fails.Stdout);
        var passes = Cli.CliRunner.Run(dir, TimeSpan.FromMinutes(4), new Dictionary<string, string?>(), "notebook", "verify", good, "--use-build");
        Assert.True(passes.ExitCode == 0, $"exit {passes.ExitCode}\n{passes.Stdout}\n{passes.Stderr}");
        Assert.Contains("every claim holds", passes.Stdout);
    }

    /// <summary>A repository made for the test: TextGen.sln, one library source, and a notebook stamped as a clean full run of it.</summary>
    private (string Root, string Notebook) StampedRepository()
    {
        string root = Directory.CreateDirectory(Path.Combine(dir, "repo")).FullName;
        File.WriteAllText(Path.Combine(root, "TextGen.sln"), "");
        Directory.CreateDirectory(Path.Combine(root, "lib", "TextGen", "bin"));
        File.WriteAllText(Path.Combine(root, "lib", "TextGen", "Step.cs"), "class Step {}\n");
        File.WriteAllText(Path.Combine(root, "lib", "TextGen", "bin", "Step.json"), "{}");
        string notebook = SmallNotebooks.Write(Directory.CreateDirectory(Path.Combine(root, "notebooks")).FullName, "Console.WriteLine(1);");
        var node = JsonNode.Parse(File.ReadAllText(notebook))!;
        node["cells"]![0]!["outputs"] = new JsonArray(new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = "1\n" });
        node["cells"]![0]!["execution_count"] = 1;
        OutputStamp.Set(node, new OutputStamp("full", OutputStamp.Fingerprint(node), OutputStamp.OutputsFingerprint(node), SourceFingerprint.Of(root), 12.5));
        File.WriteAllText(notebook, node.ToJsonString());
        return (root, notebook);
    }

    [Fact]
    public void The_changed_selection_runs_lessons_whose_code_or_library_sources_moved_since_their_recorded_run()
    {
        var (root, notebook) = StampedRepository();
        Assert.Null(Assert.Single(VerificationSelection.Select([notebook])).Reason);

        // Build output and files outside the counted folders do not count; a library source does.
        File.WriteAllText(Path.Combine(root, "lib", "TextGen", "bin", "Step.json"), "{\"changed\": true}");
        Directory.CreateDirectory(Path.Combine(root, "lib", "TextGen.Interactive"));
        File.WriteAllText(Path.Combine(root, "lib", "TextGen.Interactive", "Card.cs"), "class Card {}\n");
        Assert.Null(Assert.Single(VerificationSelection.Select([notebook])).Reason);
        File.WriteAllText(Path.Combine(root, "lib", "TextGen", "Step.cs"), "class Step { int faster; }\n");
        Assert.Equal("the library or course sources changed since the recorded full run", Assert.Single(VerificationSelection.Select([notebook])).Reason);

        var node = JsonNode.Parse(File.ReadAllText(notebook))!;
        string sources = SourceFingerprint.Of(root);
        OutputStamp.Set(node, OutputStamp.Of(node)! with { Sources = sources });
        Assert.Null(VerificationSelection.Reason(node, sources));
        var edited = node.DeepClone();
        edited["cells"]![0]!["source"] = "Console.WriteLine(2);";
        Assert.Equal("its code cells changed since the recorded full run", VerificationSelection.Reason(edited, sources));
        var quick = node.DeepClone();
        OutputStamp.Set(quick, OutputStamp.Of(quick)! with { Budget = "quick" });
        Assert.Equal("its recorded run is a quick run", VerificationSelection.Reason(quick, sources));
        var tampered = node.DeepClone();
        tampered["cells"]![0]!["outputs"]![0]!["text"] = "2\n";
        Assert.StartsWith("its recorded run is not clean", VerificationSelection.Reason(tampered, sources));
        var none = node.DeepClone();
        none["metadata"]!.AsObject().Remove("textgen");
        Assert.Equal("no recorded run", VerificationSelection.Reason(none, sources));
    }
}
