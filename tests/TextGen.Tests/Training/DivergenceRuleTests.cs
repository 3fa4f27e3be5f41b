// The divergence rule on its own: each part fires at its limit and not below it, a badly started run is judged
// against its own start, and a validation loss that overfits is not mistaken for divergence.
using TextGen.Training;
using Xunit;

namespace TextGen.Tests.Training;

public class DivergenceRuleTests
{
    private static readonly double Ln65 = Math.Log(65);

    [Fact]
    public void A_loss_just_under_three_times_the_start_passes_and_just_over_diverges()
    {
        var rule = new DivergenceRule(65);
        double first = Ln65 + 0.01;
        Assert.Null(rule.JudgeLoss(first));
        double limit = DivergenceRule.UntrainedFactor * first;
        Assert.Null(rule.JudgeLoss(limit * 0.999));
        var d = rule.JudgeLoss(limit * 1.001);
        Assert.NotNull(d);
        Assert.Equal(DivergenceReason.FarAboveUntrained, d.Reason);
        Assert.Equal(limit, d.Limit, 12);
        Assert.Contains("ln 65", d.What);
    }

    [Fact]
    public void A_first_loss_below_ln_v_leaves_the_baseline_at_ln_v()
    {
        var rule = new DivergenceRule(65);
        Assert.Null(rule.JudgeLoss(Ln65 - 0.5));
        Assert.Equal(Ln65, rule.Baseline, 12);
        Assert.Null(rule.JudgeLoss(DivergenceRule.UntrainedFactor * Ln65 - 0.01));
    }

    [Fact]
    public void After_the_loss_falls_a_climb_above_the_baseline_and_ten_times_the_best_diverges()
    {
        var rule = new DivergenceRule(65);
        foreach (var loss in new[] { Ln65, 2.0, 1.0, 0.3 }) Assert.Null(rule.JudgeLoss(loss));
        // Ten times the best (3.0) but under the baseline: a bad batch, not divergence.
        Assert.Null(rule.JudgeLoss(DivergenceRule.BestFactor * 0.3 + 0.1));
        var d = rule.JudgeLoss(Ln65 + 0.2);
        Assert.NotNull(d);
        Assert.Equal(DivergenceReason.FarAboveBest, d.Reason);
        Assert.Equal(Math.Max(Ln65, DivergenceRule.BestFactor * 0.3), d.Limit, 12);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void A_loss_that_is_not_finite_diverges_at_any_step(double loss)
    {
        var d = new DivergenceRule(65).JudgeLoss(loss);
        Assert.NotNull(d);
        Assert.Equal(DivergenceReason.NonFiniteLoss, d.Reason);
        Assert.Equal(DivergenceReason.NonFiniteGradient, DivergenceRule.JudgeGradient(loss)?.Reason);
        Assert.Null(DivergenceRule.JudgeGradient(1e30));
    }

    [Fact]
    public void A_model_that_starts_far_above_ln_v_is_judged_against_its_own_start()
    {
        var rule = new DivergenceRule(65);
        Assert.Null(rule.JudgeLoss(800));
        Assert.Null(rule.JudgeLoss(1500));
        Assert.Equal(DivergenceReason.FarAboveUntrained, rule.JudgeLoss(DivergenceRule.UntrainedFactor * 800 + 1)?.Reason);
    }

    [Fact]
    public void A_validation_loss_far_above_the_best_training_loss_is_overfitting_not_divergence()
    {
        var rule = new DivergenceRule(65);
        foreach (var loss in new[] { Ln65, 1.0, 0.05 }) Assert.Null(rule.JudgeLoss(loss));
        Assert.Null(rule.JudgeValidation(2 * Ln65));
        Assert.Equal(DivergenceReason.FarAboveUntrained, rule.JudgeValidation(DivergenceRule.UntrainedFactor * Ln65 + 1)?.Reason);
        Assert.Equal(DivergenceReason.NonFiniteLoss, rule.JudgeValidation(double.NaN)?.Reason);
    }

    [Fact]
    public void A_resumed_rule_keeps_the_first_and_best_losses_it_is_given()
    {
        var rule = new DivergenceRule(65, firstLoss: Ln65, bestLoss: 0.2);
        Assert.Equal(DivergenceReason.FarAboveBest, rule.JudgeLoss(Ln65 + 0.1)?.Reason);
    }

    [Fact]
    public void The_message_names_the_step_the_loss_the_cause_and_the_fix_on_one_line()
    {
        var rule = new DivergenceRule(65);
        rule.JudgeLoss(Ln65);
        var d = rule.JudgeLoss(969_002.1)!;
        var off = DivergenceRule.Message(2, d, 1e6f, 0f, beforeAnyUpdate: false, keptCheckpoint: null, checkpointPath: "runs/m.safetensors");
        Assert.StartsWith("training diverged at step 2: the loss 969002.1 nats", off);
        Assert.Contains("learning rate too high", off);
        Assert.Contains("--lr", off);
        Assert.Contains("try the default, 0.003", off);   // not a tenth of 1e6, which diverges too
        Assert.Contains("--clip 1", off);
        Assert.Contains("saved no model", off);
        Assert.DoesNotContain('\n', off);
        var clipped = DivergenceRule.Message(2, d, 0.5f, 1f, false, "runs/m.safetensors", "runs/m.safetensors");
        Assert.Contains("clip harder (--clip 0.5)", clipped);
        Assert.Contains("try the default, 0.003", clipped);
        Assert.Contains("try 0.001)", DivergenceRule.Message(2, d, 0.01f, 1f, false, null, null));
        Assert.Contains("kept in 'runs/m.safetensors'", clipped);
        var nan = DivergenceRule.Message(1, new DivergenceRule(65).JudgeLoss(double.NaN)!, 1e-3f, 1f, true, null, null);
        Assert.Contains("weights hold NaN", nan);
    }
}
