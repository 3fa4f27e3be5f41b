// Records every step of a training run (loss, gradient norm before clipping, and the size of the update the optimizer
// really applied), so that a lesson can chart runs side by side, even one the trainer stopped because it diverged.
namespace TextGen.Training;

/// <summary>One recorded optimizer step.</summary>
/// <param name="Step">Optimizer steps done, counting this one.</param>
/// <param name="Loss">Training loss of the step's batch, before the update (nats per token).</param>
/// <param name="GradNorm">Global gradient norm before clipping (NaN for a step the divergence rule stopped at its loss).</param>
/// <param name="UpdateNorm">‖θ after − θ before‖ over all parameters: the size of the update that was applied (0 for a step stopped before it).</param>
public sealed record RecordedStep(int Step, float Loss, float GradNorm, double UpdateNorm);

/// <summary>
/// An observer for <see cref="Trainer.Run"/> that keeps every step. It exports the engine's parameters when created and
/// after each step, so <see cref="RecordedStep.UpdateNorm"/> is measured on the weights on any engine. When a run diverges,
/// the step that broke the rule is recorded too, so the record ends where the run did.
/// </summary>
public sealed class TrainingRecorder : ITrainingObserver
{
    private readonly ITrainingEngine engine;
    private float[][] previous;
    private readonly IProgress<TrainingProgress>? next;
    private readonly List<RecordedStep> steps = [];

    /// <summary>Starts recording the training that <paramref name="engine"/> computes; create it just before the run.</summary>
    /// <param name="engine">The engine the trainer drives (<c>Trainer.Engine</c>).</param>
    /// <param name="next">Another observer to pass every event on to, e.g. the notebook's progress line; by default
    /// <see cref="Trainer.DefaultObserver"/>, so a recorded run shows the same progress as any other.</param>
    public TrainingRecorder(ITrainingEngine engine, IProgress<TrainingProgress>? next = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        this.engine = engine;
        previous = Weights();
        this.next = next ?? Trainer.DefaultObserver?.Invoke();
    }

    /// <summary>The steps recorded so far, in order.</summary>
    public IReadOnlyList<RecordedStep> Steps => steps;

    /// <summary>The training loss of every recorded step.</summary>
    public IReadOnlyList<double> Losses => steps.Select(s => (double)s.Loss).ToList();

    /// <summary>The size of every recorded update.</summary>
    public IReadOnlyList<double> UpdateNorms => steps.Select(s => s.UpdateNorm).ToList();

    /// <inheritdoc />
    public void Report(TrainingProgress value)
    {
        steps.Add(new RecordedStep(value.Step, value.Loss, value.GradNorm, MeasureUpdate()));
        next?.Report(value);
    }

    /// <summary>
    /// Keeps the step that broke the divergence rule, unless it was recorded already: its training loss, its gradient norm (NaN
    /// when the rule stopped it at its loss) and the update it applied (0 when it stopped before the update).
    /// </summary>
    public void Diverged(TrainingDivergedException divergence)
    {
        if (steps.Count == 0 || steps[^1].Step < divergence.Step)
            steps.Add(new RecordedStep(divergence.Step, divergence.TrainingLoss, divergence.GradNorm, MeasureUpdate()));
        (next as ITrainingObserver)?.Diverged(divergence);
    }

    // ‖θ now − θ at the last record‖, measured on the weights; then remembers θ now.
    private double MeasureUpdate()
    {
        double sum = 0;
        var current = Weights();
        for (int k = 0; k < current.Length; k++)
        {
            var (now, before) = (current[k], previous[k]);
            for (int i = 0; i < now.Length; i++)
            {
                double d = (double)now[i] - before[i];
                sum += d * d;
            }
        }
        previous = current;
        return Math.Sqrt(sum);
    }

    /// <inheritdoc />
    public void Completed(TrainingReport report) => (next as ITrainingObserver)?.Completed(report);

    // ExportParameters gives copies in named_parameters() order, so they are kept as they come.
    private float[][] Weights() => [.. engine.ExportParameters().Select(p => p.Value.Data)];
}

