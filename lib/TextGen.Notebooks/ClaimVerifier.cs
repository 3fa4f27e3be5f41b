// Evaluates a lesson's claims the way CI does: one full-budget run in the real C# kernel (hosted in this process), then
// every claim the code makes must be shown and hold, with its bar. Nothing is written into the lesson; the report lists
// each claim with its status, evidence and bar, so that a log shows the evaluation and not only its verdict.
using System.Text.Json.Nodes;
using TextGen.Course;

namespace TextGen.Notebooks;

/// <summary>How to verify: the library from this build instead of the package, and where to keep the executed notebooks (null: nowhere).</summary>
public sealed record VerifyOptions(bool UseBuild = false, string? OutputDirectory = null);

/// <summary>One lesson's full-budget verification: how long it ran, the claims it showed, and everything that fails it.</summary>
public sealed record LessonVerification(string Path, TimeSpan Elapsed, int CellsRun, IReadOnlyList<ClaimOutcome> Claims, IReadOnlyList<OutputProblem> Problems)
{
    /// <summary>True when every cell ran clean and every claim the code makes is shown, holds and states its bar.</summary>
    public bool Passed => Problems.Count == 0;
}

/// <summary>Runs lessons at the full budget and judges their claims.</summary>
public static class ClaimVerifier
{
    /// <summary>
    /// Runs the notebook at <paramref name="path"/> at the full budget and collects what fails it: a failing cell, stderr,
    /// a wrong answer, a claim "✘" or "○", a claim the code makes that no output shows, an experiment without its bar.
    /// </summary>
    public static async Task<LessonVerification> VerifyAsync(string path, VerifyOptions? options = null, CancellationToken cancellation = default)
    {
        options ??= new VerifyOptions();
        string? copy = options.OutputDirectory is { } dir ? System.IO.Path.Combine(Directory.CreateDirectory(dir).FullName, System.IO.Path.GetFileName(path)) : null;
        var run = await NotebookRunner.RunAsync(path, new NotebookRunOptions(Quick: false, OutputPath: copy, UseBuild: options.UseBuild), cancellation);
        var executed = JsonNode.Parse(run.Json)!;
        var problems = run.Problems.Concat(OutputCheck.ClaimProblems(executed, fullBudget: true)).ToList();
        if (run.FailedCell is { } failed && !problems.Any(p => p.Kind == "error"))
            problems.Insert(0, new OutputProblem(failed, "error", FirstLine(run.Error)));
        return new LessonVerification(run.Path, run.Elapsed, run.CellsRun, OutputCheck.Claims(executed), problems);
    }

    /// <summary>Writes the verification for a log: the time, each claim with its status, statement, evidence and bar, then the problems.</summary>
    public static void Report(LessonVerification v, TextWriter log)
    {
        string name = System.IO.Path.GetFileName(v.Path);
        int shown = v.Claims.Count(c => c.Status == QuizStatus.Correct);
        log.WriteLine($"{name}: {v.CellsRun} cells in {v.Elapsed.TotalSeconds:F1} s; {v.Claims.Count} claims, {shown} hold; {(v.Passed ? "verified" : $"FAILED ({v.Problems.Count} problems)")}");
        foreach (var c in v.Claims)
        {
            string mark = c.Status switch { QuizStatus.Correct => "✔", QuizStatus.Wrong => "✘", QuizStatus.Unanswered => "○" };
            log.WriteLine($"  {mark} {c.Id} ({(c.Kind == QuizKind.Fact ? "fact" : "experiment")}): {c.Statement}");
            log.WriteLine($"      evidence: {c.Evidence}");
            if (c.Bar is not null || c.Kind == QuizKind.Claim) log.WriteLine($"      {Claim.BarLabel}{c.Bar ?? "(none given)"}");
        }
        foreach (var p in v.Problems) log.WriteLine($"  problem: {p}");
    }

    private static string FirstLine(string? text) => text?.Split('\n')[0] ?? "";
}
