// The check cells of lessons 7 and 8 judged without a kernel: the right value passes, each common mistake fails
// with the hint written for it, and an unset value stays open.
using TextGen.Course;
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests.Quiz;

public class SamplingAndTrainingExerciseTests
{
    [Fact]
    public void Steps_per_epoch_is_the_lane_length_over_the_sequence_length()
    {
        var ids = new int[100_001];
        Assert.Equal(QuizStatus.Unanswered, Exercise.EpochSteps("7.epoch", null, ids, 32, 100).Status);
        Assert.True(Exercise.EpochSteps("7.epoch", 100_000 / 32 / 100, ids, 32, 100).Passed);
        var sequences = Exercise.EpochSteps("7.epoch", 100_001 / 100, ids, 32, 100);
        Assert.False(sequences.Passed);
        Assert.Contains(sequences.Feedback, f => f.Contains("counts sequences"));
        Assert.Contains(Exercise.EpochSteps("7.epoch", 32, ids, 32, 100).Feedback, f => f.Contains("Round down"));
    }

    [Fact]
    public void The_uniform_loss_is_ln_V_and_bits_or_probabilities_are_named_as_such()
    {
        Assert.True(Exercise.InitialLossPrediction("7.lnv", Math.Log(65), 65).Passed);
        Assert.Equal(QuizStatus.Unanswered, Exercise.InitialLossPrediction("7.lnv", null, 65).Status);
        Assert.Contains(Exercise.InitialLossPrediction("7.lnv", Math.Log2(65), 65).Feedback, f => f.Contains("bits"));
        Assert.Contains(Exercise.InitialLossPrediction("7.lnv", 1.0 / 65, 65).Feedback, f => f.Contains("minus its log"));
        Assert.Contains(Exercise.InitialLossPrediction("7.lnv", -Math.Log(65), 65).Feedback, f => f.Contains("positive"));
    }

    [Fact]
    public void A_hand_cross_entropy_matches_the_library_and_a_missing_minus_sign_is_named()
    {
        var logits = new Tensor([2f, 0f, -1f, 0.5f, 0.5f, 3f], 2, 3);
        int[] targets = [0, 2];
        double l0 = -(2 - Math.Log(Math.Exp(2) + 1 + Math.Exp(-1)));
        double l1 = -(3 - Math.Log(2 * Math.Exp(0.5) + Math.Exp(3)));
        double mean = (l0 + l1) / 2;
        Assert.True(Exercise.HandCrossEntropy("7.xent", mean, logits, targets).Passed);
        Assert.Contains(Exercise.HandCrossEntropy("7.xent", -mean, logits, targets).Feedback, f => f.Contains("negative"));
        Assert.Contains(Exercise.HandCrossEntropy("7.xent", l0 + l1, logits, targets).Feedback, f => f.Contains("sum"));
        Assert.Equal(QuizStatus.Unanswered, Exercise.HandCrossEntropy("7.xent", null, logits, targets).Status);
    }

    [Fact]
    public void Temperature_divides_the_logits_and_multiplying_by_it_is_named()
    {
        float[] logits = [2f, 1f, 0f, -1f];
        float[] Softmax(float t) { var e = logits.Select(l => Math.Exp(l / t)).ToArray(); return e.Select(x => (float)(x / e.Sum())).ToArray(); }
        Assert.True(Exercise.TemperatureSoftmax("8.temp", Softmax(0.5f), logits, 0.5f).Passed);
        Assert.Contains(Exercise.TemperatureSoftmax("8.temp", Softmax(2f), logits, 0.5f).Feedback, f => f.Contains("multiplied"));
        Assert.Contains(Exercise.TemperatureSoftmax("8.temp", Softmax(1f), logits, 0.5f).Feedback, f => f.Contains("T = 1"));
        Assert.Contains(Exercise.TemperatureSoftmax("8.temp", logits.Select(l => MathF.Exp(l / 0.5f)).ToArray(), logits, 0.5f).Feedback, f => f.Contains("add up"));
        Assert.Equal(QuizStatus.Unanswered, Exercise.TemperatureSoftmax("8.temp", null, logits, 0.5f).Status);
    }

    [Fact]
    public void The_window_feed_count_grows_then_stays_at_the_window()
    {
        long right = Enumerable.Range(0, 200).Sum(i => Math.Min(40, 7 + i));
        Assert.True(Exercise.WindowFeedCount("8.fed", right, 7, 200, 40).Passed);
        Assert.Contains(Exercise.WindowFeedCount("8.fed", 200 * 40, 7, 200, 40).Feedback, f => f.Contains("shorter than the window"));
        Assert.Contains(Exercise.WindowFeedCount("8.fed", 7 + 200 - 1, 7, 200, 40).Feedback, f => f.Contains("stateful"));
        Assert.Equal(QuizStatus.Unanswered, Exercise.WindowFeedCount("8.fed", null, 7, 200, 40).Status);
    }
}
