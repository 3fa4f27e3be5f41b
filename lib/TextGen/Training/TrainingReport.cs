// What a training run reports while it runs (progress events) and when it ends (the report).
namespace TextGen.Training;

/// <summary>Why a run stopped.</summary>
public enum StopReason
{
    /// <summary>The step or epoch budget was used.</summary>
    BudgetReached,
    /// <summary>The time budget was used.</summary>
    TimeUp,
    /// <summary>Validation stopped improving for the set patience.</summary>
    EarlyStopped,
    /// <summary>Cancelled by the caller; the resume state was saved.</summary>
    Cancelled,
}

/// <summary>One progress event: after a training step, or after an evaluation when <see cref="ValidationLoss"/> is set.</summary>
public sealed record TrainingProgress(
    int Step,                  // optimizer steps done
    int? TotalSteps,           // known step budget, if any
    int Epoch,                 // passes over the training data started
    float Loss,                // training loss of this step (nats per token)
    float? ValidationLoss,     // set on evaluation steps
    float LearningRate,        // learning rate used by this step
    double TokensPerSecond,    // training throughput so far
    TimeSpan Elapsed,          // wall time so far
    TimeSpan? Eta)             // estimated time left, when a budget is known
{
    /// <summary>Validation loss in bits per token (bits per character for a char model).</summary>
    public double? ValidationBitsPerToken => ValidationLoss / Math.Log(2);

    /// <summary>Validation perplexity, e^loss.</summary>
    public double? ValidationPerplexity => ValidationLoss is { } v ? Math.Exp(v) : null;

    /// <summary>Fraction of the budget done, in [0, 1], when known.</summary>
    public double? Fraction { get; init; }

    /// <summary>Global gradient norm of this step before clipping.</summary>
    public float GradNorm { get; init; }
}

/// <summary>Follows a training run: the progress of each step, then the run's report.</summary>
public interface ITrainingObserver : IProgress<TrainingProgress>
{
    /// <summary>Called once when the run ends normally (budget, time, early stop or cancellation).</summary>
    void Completed(TrainingReport report);

    /// <summary>
    /// Called once when the divergence rule stops the run, just before <paramref name="divergence"/> is thrown. Its step may be
    /// one that was never reported: a step whose loss or gradient broke the rule got no update.
    /// </summary>
    void Diverged(TrainingDivergedException divergence) { }
}

/// <summary>One point of the loss history.</summary>
public sealed record LossPoint(int Step, float TrainLoss, float? ValidationLoss, double Seconds)
{
    /// <summary>Global gradient norm of this step before clipping.</summary>
    public float GradNorm { get; init; }
}

/// <summary>The outcome of a run: history, best and final metrics, wall time.</summary>
public sealed record TrainingReport(
    IReadOnlyList<LossPoint> History,
    int Steps,
    float FinalTrainLoss,
    float? FinalValidationLoss,
    float? BestValidationLoss,
    int? BestStep,
    TimeSpan WallTime,
    double TokensPerSecond,
    StopReason StopReason,
    string? CheckpointPath)
{
    /// <summary>Best validation loss in bits per token.</summary>
    public double? BestBitsPerToken => BestValidationLoss / Math.Log(2);

    /// <summary>Best validation perplexity.</summary>
    public double? BestPerplexity => BestValidationLoss is { } v ? Math.Exp(v) : null;
}
