// Runs a notebook's C# cells in order with Roslyn scripting, as the .NET Interactive C# kernel
// does: the first cell with RunAsync, each next one continuing the state; the kernel's default
// imports; #r resolved from the notebook's folder; magic-command lines stripped.
using System.Diagnostics;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using TextGen.Quiz;

namespace TextGen.Notebooks;

/// <summary>How to run a notebook.</summary>
public sealed record NotebookRunOptions(bool Quick = false, bool AnswerKey = false, bool WriteOutputs = false);

/// <summary>What a run produced: outputs per cell, quiz results, and the failing cell if any.</summary>
public sealed record NotebookRunResult(string Path, int CellsRun, IReadOnlyDictionary<int, IReadOnlyList<CellOutput>> Outputs,
    IReadOnlyList<QuizResult> Quizzes, int? FailedCell, string? Error, TimeSpan Elapsed)
{
    /// <summary>True when every cell ran.</summary>
    public bool Succeeded => FailedCell is null;
}

/// <summary>Executes notebooks top to bottom.</summary>
public static class NotebookRunner
{
    private static readonly string[] Imports = ["System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq"];

    /// <summary>Runs every C# cell of the notebook at <paramref name="path"/>; stops at the first failing cell.</summary>
    public static NotebookRunResult Run(string path, NotebookRunOptions? options = null)
    {
        options ??= new NotebookRunOptions();
        var notebook = Notebook.Load(path);
        var dir = System.IO.Path.GetDirectoryName(notebook.Path)!;
        var scriptOptions = ScriptOptions.Default
            .WithFilePath(notebook.Path)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(dir))
            .WithSourceResolver(ScriptSourceResolver.Default.WithBaseDirectory(dir))
            .WithImports(Imports)
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithReferences(typeof(NotebookGlobals).Assembly);
        var globals = new NotebookGlobals();
        var outputs = new Dictionary<int, IReadOnlyList<CellOutput>>();
        var saved = (Quick: Environment.GetEnvironmentVariable("TEXTGEN_QUICK"), Key: Environment.GetEnvironmentVariable(Quiz.Quiz.AnswerKeyVariable),
            Dir: Environment.CurrentDirectory, Out: Console.Out);
        Environment.SetEnvironmentVariable("TEXTGEN_QUICK", options.Quick ? "1" : null);
        Environment.SetEnvironmentVariable(Quiz.Quiz.AnswerKeyVariable, options.AnswerKey ? "1" : null);
        Environment.CurrentDirectory = dir; // as in VS Code, relative paths in a lesson start at its folder
        var clock = Stopwatch.StartNew();
        ScriptState<object>? state = null;
        int run = 0;
        int? failed = null;
        string? error = null;
        try
        {
            foreach (var cell in notebook.Cells)
            {
                if (cell.CellType != "code" || cell.Kernel is not ("csharp" or "C#")) continue;
                var cellOutputs = new List<CellOutput>();
                var stdout = new StringWriter();
                void Flush()
                {
                    var text = stdout.ToString();
                    if (text.Length > 0) cellOutputs.Add(CellOutput.Stream(text));
                    stdout.GetStringBuilder().Clear();
                }
                globals.Outputs = cellOutputs;
                globals.FlushStdout = Flush;
                Console.SetOut(stdout);
                try
                {
                    var code = Prepare(cell);
                    state = state is null
                        ? CSharpScript.RunAsync(code, scriptOptions, globals, typeof(NotebookGlobals)).GetAwaiter().GetResult()
                        : state.ContinueWithAsync(code, scriptOptions).GetAwaiter().GetResult();
                    Flush();
                    if (state.ReturnValue is { } value) globals.display(value);
                    run++;
                }
                catch (Exception e) when (e is CompilationErrorException or NotebookCellException || !IsFatal(e))
                {
                    Flush();
                    failed = cell.Index;
                    error = e is CompilationErrorException ce ? string.Join("\n", ce.Diagnostics.Select(d => d.ToString())) : $"{e.GetType().Name}: {e.Message}";
                    cellOutputs.Add(new CellOutput("display", new Dictionary<string, string> { ["text/plain"] = error }));
                }
                finally
                {
                    Console.SetOut(saved.Out);
                    outputs[cell.Index] = cellOutputs;
                }
                if (failed is not null) break;
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("TEXTGEN_QUICK", saved.Quick);
            Environment.SetEnvironmentVariable(Quiz.Quiz.AnswerKeyVariable, saved.Key);
            Environment.CurrentDirectory = saved.Dir;
        }
        var quizzes = globals.Displayed.OfType<QuizResult>().ToList();
        var result = new NotebookRunResult(notebook.Path, run, outputs, quizzes, failed, error, clock.Elapsed);
        if (options.WriteOutputs) notebook.WriteOutputs(outputs);
        return result;
    }

    private static bool IsFatal(Exception e) => e is OutOfMemoryException or StackOverflowException;

    /// <summary>The cell's code as the kernel would compile it: magic lines removed, NuGet references refused.</summary>
    internal static string Prepare(NotebookCell cell)
    {
        var lines = cell.Source.Split('\n');
        foreach (var line in lines)
            if (line.TrimStart().StartsWith("#r \"nuget:", StringComparison.OrdinalIgnoreCase))
                throw new NotebookCellException($"cell {cell.Index}: '#r \"nuget:...\"' needs the .NET Interactive kernel; reference the built library with #r \"path.dll\" instead");
        return string.Join("\n", lines.Select(l => l.TrimStart().StartsWith("#!", StringComparison.Ordinal) ? "" : l));
    }
}

/// <summary>A cell that cannot run under this runner, with the reason.</summary>
public sealed class NotebookCellException(string message) : Exception(message);
