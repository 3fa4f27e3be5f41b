// The live line of a training run in a notebook: one output that the run updates in place (at most a few
// times a second, and at every validation), ending with the run's summary.
using System.Diagnostics;
using TextGen.Training;

namespace TextGen.Interactive;

/// <summary>What the progress line shows: the latest step with the latest validation loss, or the finished run.</summary>
internal sealed record ProgressLine(TrainingProgress? Progress, float? LastValidationLoss, TrainingReport? Report);

/// <summary>Follows a run and keeps one <see cref="LiveDisplay"/> up to date.</summary>
internal sealed class TrainingLine : ITrainingObserver
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(0.5);
    private readonly Stopwatch sinceUpdate = new();
    private LiveDisplay? display;
    private float? lastValidation;

    public void Report(TrainingProgress value)
    {
        if (value.ValidationLoss is { } v) lastValidation = v;
        if (display is not null && value.ValidationLoss is null && sinceUpdate.Elapsed < Interval) return;
        Show(new ProgressLine(value, lastValidation, null));
    }

    public void Completed(TrainingReport report) => Show(new ProgressLine(null, lastValidation, report));

    private void Show(ProgressLine line)
    {
        if (display is null) display = LiveDisplay.Show(line);
        else display.Update(line);
        sinceUpdate.Restart();
    }
}
