// What the kernel runs when a notebook loads the TextGen package: the formatters for the library's types,
// a live progress line for every training run that is given no reporter of its own, the cell's interrupt as
// the run's cancellation (the next cell waiting until an interrupted run has stopped), and the course's
// namespaces opened in the C# kernel, so that a setup cell is one line.
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using TextGen.Course;
using TextGen.Training;

namespace TextGen.Interactive;

/// <summary>The kernel extension of the TextGen package; .NET Interactive finds it in interactive-extensions/dotnet.</summary>
public sealed class TextGenKernelExtension : IKernelExtension
{
    /// <inheritdoc />
    public Task OnLoadAsync(Kernel kernel)
    {
        NotebookFormatters.Register();
        Trainer.DefaultObserver = () => new TrainingLine();
        // Interrupting the kernel cancels the running cell's token; a training run in that cell stops after its current step.
        Trainer.DefaultCancellation = () => KernelInvocationContext.Current?.CancellationToken ?? CancellationToken.None;
        // The kernel ends an interrupted cell at once, while its run still finishes the step and saves its resume state:
        // the next cell waits for that, so it never races the run for the model or the checkpoint.
        var csharp = (kernel as CompositeKernel)?.FindKernelByName("csharp") ?? kernel;
        csharp.AddMiddleware(async (command, context, next) =>
        {
            if (command is SubmitCode) await Trainer.WhenCancelledRunsStop().ConfigureAwait(false);
            await next(command, context).ConfigureAwait(false);
        });
        // Deferred: the kernel runs it before the next submission, which is the lesson's next cell.
        csharp.DeferCommand(new SubmitCode(string.Join("\n", Lesson.Namespaces.Select(n => $"using {n};"))));
        return Task.CompletedTask;
    }
}
