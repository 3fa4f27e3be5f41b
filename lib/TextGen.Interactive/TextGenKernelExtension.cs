// What the kernel runs when a notebook loads the TextGen package: the formatters for the library's types,
// and a live progress line for every training run that is given no reporter of its own.
using Microsoft.DotNet.Interactive;
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
        return Task.CompletedTask;
    }
}
