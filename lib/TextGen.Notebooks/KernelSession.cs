// One notebook's kernel: the notebook's folder as working directory (as Jupyter and VS Code start it), the
// lesson budget and the answer key as asked, and cells submitted one at a time, each recorded as outputs.
// Process-wide settings are put back when the session ends.
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using TextGen.Course;

namespace TextGen.Notebooks;

internal sealed class KernelSession : IDisposable
{
    private const string AnswerKeyVariable = "TEXTGEN_ANSWER_KEY";
    private readonly CompositeKernel kernel;
    private readonly NotebookRunOptions options;
    private readonly bool rewrite;
    private readonly TextWriter? echoError;
    private readonly (string? Quick, string? Key, string Dir, LessonBudget Budget) saved;

    private KernelSession(CompositeKernel kernel, NotebookRunOptions options, (string?, string?, string, LessonBudget) saved)
    {
        this.kernel = kernel;
        this.options = options;
        this.saved = saved;
        // Echo writers are the process's own, taken before any cell runs (the kernel swaps Console's while one does).
        rewrite = options.Echo is not null && options.Echo == Console.Out && !Console.IsOutputRedirected;
        echoError = options.Echo is null ? null : Console.Error;
    }

    public static async Task<KernelSession> StartAsync(string notebookDirectory, NotebookRunOptions options)
    {
        var saved = (Environment.GetEnvironmentVariable(Lesson.QuickVariable), Environment.GetEnvironmentVariable(AnswerKeyVariable), Environment.CurrentDirectory, Lesson.Budget);
        Environment.SetEnvironmentVariable(Lesson.QuickVariable, options.Quick ? "1" : null);
        Environment.SetEnvironmentVariable(AnswerKeyVariable, options.AnswerKey ? "1" : null);
        // The library may have read TEXTGEN_QUICK already in this process (a test host, an earlier notebook).
        Lesson.Budget = options.Quick ? LessonBudget.Quick : LessonBudget.Full;
        Environment.CurrentDirectory = notebookDirectory;
        var kernel = KernelHost.Create();
        if (options.UseBuild) await KernelHost.UseBuiltLibraryAsync(kernel);
        return new KernelSession(kernel, options, saved);
    }

    /// <summary>Submits one cell and returns what it produced.</summary>
    public async Task<CellRecorder> RunAsync(string code, string kernelName, CancellationToken cancellation = default)
    {
        var recorder = new CellRecorder(options.Echo, echoError, rewrite);
        using (kernel.KernelEvents.Subscribe(new KernelEventObserver(recorder.On)))
            await kernel.SendAsync(new SubmitCode(options.UseBuild ? KernelHost.WithoutPackageReference(code) : code, kernelName), cancellation);
        recorder.Finish();
        return recorder;
    }

    public void Dispose()
    {
        kernel.Dispose();
        Environment.SetEnvironmentVariable(Lesson.QuickVariable, saved.Quick);
        Environment.SetEnvironmentVariable(AnswerKeyVariable, saved.Key);
        Environment.CurrentDirectory = saved.Dir;
        Lesson.Budget = saved.Budget;
    }
}
