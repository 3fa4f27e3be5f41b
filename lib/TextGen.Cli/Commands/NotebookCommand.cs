// textgen notebook run|export: execute lessons without any notebook tool, or turn one into a .NET
// file-based app that `dotnet run lesson.cs` runs.
using System.CommandLine;
using TextGen.Notebooks;

namespace TextGen.Cli.Commands;

internal static class NotebookCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "notebooks (.ipynb)", Arity = ArgumentArity.OneOrMore };
        var quick = new Option<bool>("--quick") { Description = "shrink training to seconds (sets TEXTGEN_QUICK=1)" };
        var write = new Option<bool>("--write-outputs") { Description = "store the outputs in the .ipynb files" };
        var key = new Option<bool>("--answer-key") { Description = "answer unanswered quizzes with the key (for testing the lessons)" };
        var run = new Command("run", "Run notebooks top to bottom") { paths, quick, write, key };
        run.SetAction(r =>
        {
            int failures = 0;
            foreach (var path in r.GetValue(paths)!)
            {
                var result = NotebookRunner.Run(path, new NotebookRunOptions(r.GetValue(quick), r.GetValue(key), r.GetValue(write)));
                int passed = result.Quizzes.Count(q => q.Passed), open = result.Quizzes.Count(q => q.Status == TextGen.Quiz.QuizStatus.Unanswered);
                Console.WriteLine($"{Path.GetFileName(path)}: {result.CellsRun} cells in {result.Elapsed.TotalSeconds:F1} s; quizzes {passed} passed, {open} unanswered, {result.Quizzes.Count - passed - open} wrong" +
                    (result.Succeeded ? "" : $"\n  cell {result.FailedCell} failed: {result.Error}"));
                if (!result.Succeeded) failures++;
            }
            return failures == 0 ? 0 : 1;
        });
        var one = new Argument<string>("path") { Description = "notebook (.ipynb)" };
        var output = new Option<string?>("--out") { Description = "output .cs file (default: beside the notebook)" };
        var export = new Command("export", "Write a notebook as a .NET 10 file-based app") { one, output };
        export.SetAction(r =>
        {
            var path = r.GetValue(one)!;
            var target = r.GetValue(output) ?? Path.ChangeExtension(path, ".cs");
            NotebookExporter.Export(path, target);
            Console.WriteLine($"wrote {target}; run it with: dotnet run {target}");
            return 0;
        });
        return new Command("notebook", "Run or export the lessons") { run, export };
    }
}
