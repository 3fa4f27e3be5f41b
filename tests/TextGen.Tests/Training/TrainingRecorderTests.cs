// The training recorder: every step is kept, and the update sizes it measures on the weights equal the closed form of
// plain SGD (learning rate times the clipped gradient norm), also for the steps before a run diverges.
using TextGen.Optim;
using TextGen.Training;
using Xunit;

namespace TextGen.Tests.Training;

public class TrainingRecorderTests
{
    private static TrainOptions Sgd(float lr, float clip) => new()
    {
        EmbeddingDim = 8, HiddenSize = 16, BatchSize = 4, SeqLen = 12, Optimizer = OptimizerKind.Sgd, Momentum = 0f, Schedule = ScheduleKind.Constant,
        LearningRate = lr, Clip = clip, Steps = 25, Minutes = null, EvalInterval = 25, WarmupSteps = 0, Patience = 0, Seed = 5,
    };

    [Theory]
    [InlineData(0.5f, 0f)]
    [InlineData(0.5f, 0.1f)]
    public void Update_sizes_equal_the_learning_rate_times_the_clipped_gradient_norm_under_plain_sgd(float lr, float clip)
    {
        var data = TrainerTests.Stream(3000);
        var trainer = TrainerFactory.Create(Sgd(lr, clip), data[..2700], data[2700..], TrainerTests.Vocab());
        var recorder = new TrainingRecorder(trainer.Engine, next: null);
        var report = trainer.Run(recorder);
        Assert.Equal(report.Steps, recorder.Steps.Count);
        Assert.Equal(Enumerable.Range(1, 25), recorder.Steps.Select(s => s.Step));
        foreach (var s in recorder.Steps)
        {
            double applied = clip > 0 ? Math.Min(s.GradNorm, clip) : s.GradNorm;
            Assert.Equal(lr * applied, s.UpdateNorm, 1e-4 * lr * applied + 1e-7);
        }
        if (clip > 0) Assert.True(recorder.Steps.Max(s => s.GradNorm) > clip, "the test should clip at least one step");
        Assert.Equal(recorder.Steps[^1].Loss, report.FinalTrainLoss);
    }

    // Poisons a weight after step 5, so that step 6's loss is NaN: a divergence every version of the trainer stops.
    private sealed class PoisonAfter(TextGen.Tensors.Tensor weight, int step) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) { if (value.Step == step) weight.Data[0] = float.NaN; }
    }

    [Fact]
    public void Steps_before_a_divergence_stay_recorded_and_the_step_that_broke_the_rule_ends_the_record()
    {
        var data = TrainerTests.Stream(3000);
        var trainer = TrainerFactory.Create(Sgd(0.5f, 0f), data[..2700], data[2700..], TrainerTests.Vocab());
        var live = ((TextGenEngine)trainer.Engine).Model;   // the CPU engine trains its model in place
        var recorder = new TrainingRecorder(trainer.Engine, next: new PoisonAfter(live.Decoder.Weight, 5));
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Run(recorder));
        Assert.Equal([1, 2, 3, 4, 5, 6], recorder.Steps.Select(s => s.Step));
        Assert.All(recorder.Steps.Take(5), s => Assert.True(double.IsFinite(s.UpdateNorm) && s.UpdateNorm > 0));
        var last = recorder.Steps[^1];
        Assert.Equal(6, e.Step);
        Assert.True(float.IsNaN(last.Loss) && float.IsNaN(e.TrainingLoss), "step 6 read the poisoned weight");
        Assert.True(float.IsNaN(last.GradNorm), "the rule stopped step 6 at its loss, before its gradient was measured");
        Assert.True(double.IsNaN(last.UpdateNorm), "measured on the weights, which now hold the poisoned NaN");
    }

    [Fact]
    public void A_run_stopped_for_a_loss_far_above_its_start_records_that_loss_as_its_largest()
    {
        // Lesson 5's case: plain SGD far too fast and no clipping; the loss that breaks the rule is the run's largest.
        var data = TrainerTests.Stream(3000);
        var trainer = TrainerFactory.Create(Sgd(200f, 0f), data[..2700], data[2700..], TrainerTests.Vocab());
        var recorder = new TrainingRecorder(trainer.Engine, next: null);
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Run(recorder));
        Assert.Contains(e.Reason, new[] { DivergenceReason.FarAboveUntrained, DivergenceReason.FarAboveBest });
        Assert.Equal(e.Step, recorder.Steps[^1].Step);
        Assert.Equal(e.Loss, recorder.Steps[^1].Loss, 1e-6);
        Assert.Equal((float)e.Loss, e.TrainingLoss);
        Assert.Equal(recorder.Steps.Max(s => s.Loss), recorder.Steps[^1].Loss);
        Assert.Equal(0, recorder.Steps[^1].UpdateNorm);
        Assert.All(recorder.Steps.SkipLast(1), s => Assert.True(s.UpdateNorm > 0));
    }
}
