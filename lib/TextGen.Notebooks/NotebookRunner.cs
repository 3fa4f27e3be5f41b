// Runs a notebook top to bottom in the in-process kernel, as Jupyter's nbconvert --execute does: the kernel's
// working directory is the notebook's folder, each code cell is one submission, and the first failing cell
// stops the run. Outputs can be written back into the file (or a copy) through the Documents library, stamped with
// the run that wrote them (OutputStamp): the record a later verification compares with.
using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;

namespace TextGen.Notebooks;

/// <summary>How to run a notebook.</summary>
/// <param name="Quick">Shrink every training run to seconds (sets TEXTGEN_QUICK=1 for the lesson).</param>
/// <param name="AnswerKey">Fill unanswered multiple-choice questions with the key (sets TEXTGEN_ANSWER_KEY=1).</param>
/// <param name="WriteOutputs">Store the outputs in the notebook file.</param>
/// <param name="OutputPath">Store the notebook with its outputs here instead (implies writing).</param>
/// <param name="Echo">Where to print outputs while the cells run (null: nowhere).</param>
/// <param name="UseBuild">
/// Take the library from this build (the assemblies this process runs) instead of the TextGen package: the package's
/// <c>#r "nuget: TextGen"</c> line is left out and the kernel extension is loaded directly. For working on the library
/// without packing it after every change; the lesson tests and the committed outputs use the package.
/// </param>
public sealed record NotebookRunOptions(bool Quick = false, bool AnswerKey = false, bool WriteOutputs = false, string? OutputPath = null,
    TextWriter? Echo = null, bool UseBuild = false);

/// <summary>What a run produced: how many cells ran, the failing cell if any, the problems found in the outputs.</summary>
public sealed record NotebookRunResult(string Path, int CellsRun, int? FailedCell, string? Error, TimeSpan Elapsed,
    IReadOnlyList<QuizOutcome> Quizzes, IReadOnlyList<OutputProblem> Problems, string Json)
{
    /// <summary>True when every cell ran.</summary>
    public bool Succeeded => FailedCell is null;
}

/// <summary>Executes notebooks with the real C# kernel.</summary>
public static class NotebookRunner
{
    /// <summary>Runs every C# cell of the notebook at <paramref name="path"/>; stops at the first failing cell.</summary>
    public static async Task<NotebookRunResult> RunAsync(string path, NotebookRunOptions? options = null, CancellationToken cancellation = default)
    {
        options ??= new NotebookRunOptions();
        path = System.IO.Path.GetFullPath(path);
        var (document, metadata) = Read(path);
        var clock = Stopwatch.StartNew();
        int run = 0, count = 0;
        int? failed = null;
        string? error = null;
        using (var session = await KernelSession.StartAsync(System.IO.Path.GetDirectoryName(path)!, options))
        {
            for (int i = 0; i < document.Elements.Count; i++)
            {
                var cell = document.Elements[i];
                if (!IsCode(cell)) continue;
                if (failed is not null) { cell.Outputs.Clear(); cell.ExecutionOrder = 0; continue; }
                var recorder = await session.RunAsync(cell.Contents, KernelNameOf(cell), cancellation);
                cell.Outputs.Clear();
                cell.Outputs.AddRange(recorder.Outputs);
                cell.ExecutionOrder = ++count;
                if (recorder.Failure is { } f) { failed = i; error = f; }
                else run++;
            }
        }
        var stamp = options.WriteOutputs || options.OutputPath is not null
            ? new OutputStamp(options.Quick ? "quick" : "full", Sources: SourceFingerprint.Of(CoursePackage.FindRepository(System.IO.Path.GetDirectoryName(path)!)), Seconds: clock.Elapsed.TotalSeconds)
            : null;
        var json = Write(document, metadata, stamp);
        if (options.OutputPath is { } target) TextGen.Training.AtomicFile.WriteAllText(target, json);
        else if (options.WriteOutputs) TextGen.Training.AtomicFile.WriteAllText(path, json);
        var node = JsonNode.Parse(json)!;
        return new NotebookRunResult(path, run, failed, error, clock.Elapsed, OutputCheck.Quizzes(node), OutputCheck.Problems(node), json);
    }

    /// <summary>Reads a notebook with the Documents library; a file that is not nbformat 4 JSON is an error that says so.</summary>
    internal static (InteractiveDocument Document, JsonNode? Metadata) Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"notebook '{path}' does not exist");
        var text = File.ReadAllText(path);
        JsonNode? root;
        try { root = JsonNode.Parse(text); }
        catch (System.Text.Json.JsonException e) { throw new InvalidDataException($"notebook '{path}' is not valid JSON: {e.Message}", e); }
        if (root?["nbformat"]?.GetValue<int>() != 4) throw new InvalidDataException($"notebook '{path}' is not an nbformat 4 notebook");
        var kernels = new KernelInfoCollection { new KernelInfo(KernelHost.CSharp, "C#", ["c#", "C#"]) };
        kernels.DefaultKernelName = KernelHost.CSharp;
        return (Notebook.Parse(text, kernels), root["metadata"]?.DeepClone());
    }

    /// <summary>
    /// The notebook as .ipynb text. The Documents writer rewrites the top-level metadata (and fails on the Polyglot
    /// kernelInfo it read), so the file's own metadata is put back as it was.
    /// </summary>
    internal static string Write(InteractiveDocument document, JsonNode? metadata, OutputStamp? stamp = null)
    {
        // The writer adds the C# kernel itself (and throws if it is already there).
        document.Metadata["polyglot_notebook"] = new KernelInfoCollection();
        var root = JsonNode.Parse(Notebook.ToJupyterJson(document, KernelHost.CSharp))!;
        if (metadata is not null) root["metadata"] = metadata.DeepClone();
        if (stamp is not null) OutputStamp.Set(root, stamp with { Code = OutputStamp.Fingerprint(root), Outputs = OutputStamp.OutputsFingerprint(root) });
        return root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    internal static bool IsCode(InteractiveDocumentElement cell) => cell.KernelName is not ("markdown" or "md" or "raw");

    internal static string KernelNameOf(InteractiveDocumentElement cell) => cell.KernelName is "C#" or "c#" or null ? KernelHost.CSharp : cell.KernelName;
}
