// Runs a piece of code at each evaluation of a training run: a lesson prints a sample so the text is seen improving, or
// measures the training text's loss the way validation is measured, while the progress line goes on as usual.
namespace TextGen.Training;

/// <summary>
/// An observer for <see cref="Trainer.Run"/> that calls an action after each evaluation (each event whose
/// <see cref="TrainingProgress.ValidationLoss"/> is set) and passes every event on to another observer.
/// </summary>
public sealed class EvaluationObserver : ITrainingObserver
{
    private readonly Action<TrainingProgress> onEvaluation;
    private readonly IProgress<TrainingProgress>? next;

    /// <summary>Calls <paramref name="onEvaluation"/> after each evaluation, with the weights of that step in the engine.</summary>
    /// <param name="onEvaluation">What to do: it runs on the training thread, between two steps, so it may read the engine.</param>
    /// <param name="next">The observer every event goes on to; by default <see cref="Trainer.DefaultObserver"/> (the
    /// notebook's progress line), so the run shows the same progress as any other.</param>
    public EvaluationObserver(Action<TrainingProgress> onEvaluation, IProgress<TrainingProgress>? next = null)
    {
        ArgumentNullException.ThrowIfNull(onEvaluation);
        this.onEvaluation = onEvaluation;
        this.next = next ?? Trainer.DefaultObserver?.Invoke();
    }

    /// <inheritdoc />
    public void Report(TrainingProgress value)
    {
        if (value.ValidationLoss is not null) onEvaluation(value);
        next?.Report(value);
    }

    /// <inheritdoc />
    public void Diverged(TrainingDivergedException divergence) => (next as ITrainingObserver)?.Diverged(divergence);

    /// <inheritdoc />
    public void Completed(TrainingReport report) => (next as ITrainingObserver)?.Completed(report);
}
