// The evaluation observer: its action runs once per evaluation, with that evaluation's loss and the engine's weights of
// that step, and every event still reaches the observer behind it.
using TextGen.Optim;
using TextGen.Training;
using Xunit;

namespace TextGen.Tests.Training;

public class EvaluationObserverTests
{
    private sealed class Counting : ITrainingObserver
    {
        public int Events, Completions;
        public void Report(TrainingProgress value) => Events++;
        public void Completed(TrainingReport report) => Completions++;
    }

    [Fact]
    public void The_action_runs_at_each_evaluation_with_its_loss_and_every_event_goes_on()
    {
        var data = TrainerTests.Stream(3000);
        var options = new TrainOptions
        {
            EmbeddingDim = 8, HiddenSize = 16, BatchSize = 4, SeqLen = 12, Schedule = ScheduleKind.Constant,
            Steps = 25, Minutes = null, EvalInterval = 10, Patience = 0, Seed = 3,
        };
        var trainer = TrainerFactory.Create(options, data[..2700], data[2700..], TrainerTests.Vocab());
        var behind = new Counting();
        var seen = new List<(int Step, float Loss, double Measured)>();
        var observer = new EvaluationObserver(p => seen.Add((p.Step, p.ValidationLoss!.Value,
            Evaluator.LaneLoss(trainer.Engine, trainer.ValidationIds, 16, options.SeqLen, options.EvalTokens).Loss)), behind);
        var report = trainer.Run(observer);
        // evaluations at steps 10 and 20, and at the last step of the budget
        Assert.Equal([10, 20, 25], seen.Select(s => s.Step));
        var history = report.History.Where(h => h.ValidationLoss is not null).ToList();
        Assert.Equal(history.Select(h => h.ValidationLoss!.Value), seen.Select(s => s.Loss));
        // measured inside the action on the engine as it stood: the trainer's own evaluation of that step
        Assert.All(seen, s => Assert.Equal(s.Loss, s.Measured, 1e-5));
        Assert.Equal(25, behind.Events);
        Assert.Equal(1, behind.Completions);
    }
}
