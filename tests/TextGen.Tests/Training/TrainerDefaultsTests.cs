// The process-wide hook the notebook extension uses for interrupts: a default cancellation for runs given no token.
// It changes state for every run, so these tests run alone.
using TextGen.Training;
using Xunit;

namespace TextGen.Tests.Training;

[Collection(TextGen.Tests.Notebooks.ProcessStateCollection.Name)]
public class TrainerDefaultsTests : IDisposable
{
    public void Dispose() => Trainer.DefaultCancellation = null;

    private static TrainOptions Options(int steps) => new()
    {
        EmbeddingDim = 8, HiddenSize = 16, BatchSize = 4, SeqLen = 12, Steps = steps, Minutes = null, EvalInterval = 10, WarmupSteps = 0, Patience = 0,
    };

    private static Trainer Small(int steps) =>
        TrainerFactory.Create(Options(steps), TrainerTests.Stream(2000)[..1800], TrainerTests.Stream(2000)[1800..], TrainerTests.Vocab());

    [Fact]
    public void A_run_given_no_token_stops_when_the_default_cancellation_fires()
    {
        using var cts = new CancellationTokenSource();
        Trainer.DefaultCancellation = () => cts.Token;
        var report = Small(1000).Run(new InlineProgress(p => { if (p.Step == 3) cts.Cancel(); }));
        Assert.Equal(StopReason.Cancelled, report.StopReason);
        Assert.Equal(3, report.Steps);
    }

    [Fact]
    public void An_interrupted_run_saves_its_resume_state_at_the_step_it_stopped()
    {
        var dir = Directory.CreateTempSubdirectory("textgen-defaults-").FullName;
        try
        {
            using var cts = new CancellationTokenSource();
            Trainer.DefaultCancellation = () => cts.Token;
            var trainer = TrainerFactory.Create(Options(1000) with { CheckpointPath = Path.Combine(dir, "m.safetensors") },
                TrainerTests.Stream(2000)[..1800], TrainerTests.Stream(2000)[1800..], TrainerTests.Vocab());
            var report = trainer.Run(new InlineProgress(p => { if (p.Step == 13) cts.Cancel(); }));
            Assert.Equal(StopReason.Cancelled, report.StopReason);
            Assert.Equal(13, ResumeState.Load(ResumeState.PathFor(Path.Combine(dir, "m.safetensors"))).Cursor.Step);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void A_token_passed_by_the_caller_wins_over_the_default()
    {
        using var interrupted = new CancellationTokenSource();
        interrupted.Cancel();
        Trainer.DefaultCancellation = () => interrupted.Token;
        using var own = new CancellationTokenSource();
        var report = Small(5).Run(cancellation: own.Token);
        Assert.Equal(StopReason.BudgetReached, report.StopReason);
        Assert.Equal(5, report.Steps);
    }

    private sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
