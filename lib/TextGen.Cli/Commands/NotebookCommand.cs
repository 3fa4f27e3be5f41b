// textgen notebook setup|run|verify|export: prepare the course package the lessons load, execute lessons in the
// real .NET Interactive C# kernel hosted in this process, verify their claims at the full budget, or turn one into a
// file-based app.
using System.CommandLine;
using TextGen.Notebooks;

namespace TextGen.Cli.Commands;

internal static class NotebookCommand
{
    public static Command Create()
    {
        var setup = new Command("setup", "Pack the library into ~/.textgen/feed and register that folder as a NuGet source, so lessons can load it (run once, and after changing the library)");
        setup.SetAction(_ =>
        {
            var root = CoursePackage.FindRepository(Environment.CurrentDirectory) ?? CoursePackage.FindRepository(AppContext.BaseDirectory)
                ?? throw new InvalidOperationException("run 'textgen notebook setup' inside a clone of the TextGen repository (no TextGen.sln found above this folder)");
            CoursePackage.Setup(root, Console.Out);
            return 0;
        });

        var paths = new Argument<string[]>("paths") { Description = "notebooks (.ipynb)", Arity = ArgumentArity.OneOrMore };
        var quick = new Option<bool>("--quick") { Description = "shrink training to seconds (sets TEXTGEN_QUICK=1)" };
        var write = new Option<bool>("--write-outputs") { Description = "store the outputs in the .ipynb files" };
        var key = new Option<bool>("--answer-key") { Description = "answer unanswered multiple-choice questions with the key (for testing the lessons)" };
        var outDir = new Option<string?>("--output-dir") { Description = "write each executed notebook into this folder instead of beside the original" };
        var useBuild = new Option<bool>("--use-build") { Description = "take the library from this build of textgen instead of the TextGen package (while working on the library)" };
        var run = new Command("run", "Run notebooks top to bottom in the .NET Interactive C# kernel") { paths, quick, write, key, outDir, useBuild };
        run.SetAction(async (r, cancellation) =>
        {
            int failures = 0;
            foreach (var path in r.GetValue(paths)!)
            {
                Console.WriteLine($"== {Path.GetFileName(path)}");
                var copy = r.GetValue(outDir) is { } dir ? Path.Combine(Directory.CreateDirectory(dir).FullName, Path.GetFileName(path)) : null;
                var result = await NotebookRunner.RunAsync(path, new NotebookRunOptions(r.GetValue(quick), r.GetValue(key), r.GetValue(write), copy, Console.Out, r.GetValue(useBuild)), cancellation);
                int passed = result.Quizzes.Count(q => q.Status == TextGen.Course.QuizStatus.Correct), open = result.Quizzes.Count(q => q.Status == TextGen.Course.QuizStatus.Unanswered);
                Console.WriteLine($"{Path.GetFileName(path)}: {result.CellsRun} cells in {result.Elapsed.TotalSeconds:F1} s; quizzes {passed} passed, {open} unanswered, {result.Quizzes.Count - passed - open} wrong" +
                    (result.Succeeded ? "" : $"\n  cell {result.FailedCell} failed: {FirstLine(result.Error)}") +
                    string.Concat(result.Problems.Where(p => p.Kind != "error").Select(p => $"\n  {p}")));
                if (!result.Succeeded || result.Problems.Count > 0) failures++;
            }
            return failures == 0 ? 0 : 1;
        });

        var verify = Verify(outDir, useBuild);

        var one = new Argument<string>("path") { Description = "notebook (.ipynb)" };
        var output = new Option<string?>("--out") { Description = "output .cs file (default: beside the notebook)" };
        var export = new Command("export", "Write a notebook as a .NET 10 file-based app") { one, output };
        export.SetAction(r =>
        {
            var path = r.GetValue(one)!;
            var target = r.GetValue(output) ?? Path.ChangeExtension(path, ".cs");
            var renames = NotebookExporter.Export(path, target);
            Console.WriteLine($"wrote {target}; run it with: dotnet run {target}");
            // Cells may declare a name again; a program's one scope may not, so the later one is spelled apart.
            foreach (var (old, renamed) in renames) Console.WriteLine($"  '{old}' is declared in more than one cell: the later one is '{renamed}' in the program");
            return 0;
        });
        return new Command("notebook", "Prepare, run, verify or export the lessons") { setup, run, verify, export };
    }

    /// <summary>
    /// textgen notebook verify [PATHS] [--changed]: every lesson (or those whose recorded full run no longer stands) at the
    /// full budget, one after another so that timed cells keep the cores; exit 1 when a claim fails, shows "○" or is missing.
    /// </summary>
    private static Command Verify(Option<string?> outDir, Option<bool> useBuild)
    {
        var paths = new Argument<string[]>("paths") { Description = "lessons (.ipynb); default: notebooks/*.ipynb of this repository", Arity = ArgumentArity.ZeroOrMore };
        var changed = new Option<bool>("--changed") { Description = "only lessons whose code cells, or the library and course sources, differ from their recorded full run (the stamp --write-outputs leaves in each lesson)" };
        var verify = new Command("verify", "Run lessons at the full budget and fail when a claim does not hold, is not checked or is missing") { paths, changed, outDir, useBuild };
        verify.SetAction(async (r, cancellation) =>
        {
            var given = r.GetValue(paths) is { Length: > 0 } p ? p : Lessons();
            var selection = r.GetValue(changed) ? VerificationSelection.Select(given) : [.. given.Select(g => new LessonDue(g, "asked for"))];
            if (r.GetValue(changed))
            {
                Console.WriteLine($"lessons changed since their recorded full run: {selection.Count(s => s.Due)} of {selection.Count}");
                foreach (var s in selection) Console.WriteLine($"  {(s.Due ? "run " : "skip")} {Path.GetFileName(s.Path)}: {s.Reason ?? "unchanged since its recorded full run"}");
            }
            var failed = new List<string>();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            foreach (var lesson in selection.Where(s => s.Due))
            {
                Console.WriteLine($"== {Path.GetFileName(lesson.Path)} at the full budget");
                var v = await ClaimVerifier.VerifyAsync(lesson.Path, new VerifyOptions(r.GetValue(useBuild), r.GetValue(outDir)), cancellation);
                ClaimVerifier.Report(v, Console.Out);
                if (!v.Passed) failed.Add(Path.GetFileName(lesson.Path));
            }
            int ran = selection.Count(s => s.Due);
            Console.WriteLine($"verified {ran} lesson{(ran == 1 ? "" : "s")} in {clock.Elapsed.TotalMinutes:F1} min: " + (failed.Count == 0 ? "every claim holds" : $"{failed.Count} failed: {string.Join(", ", failed)}"));
            return failed.Count == 0 ? 0 : 1;
        });
        return verify;
    }

    private static string[] Lessons()
    {
        var root = CoursePackage.FindRepository(Environment.CurrentDirectory)
            ?? throw new InvalidOperationException("no lessons given and no TextGen.sln above this folder: name the notebooks, or run inside the repository");
        return [.. Directory.GetFiles(Path.Combine(root, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal)];
    }

    private static string FirstLine(string? text) => text?.Split('\n')[0] ?? "";
}
