// Learning-rate schedules against their closed forms at chosen steps, and Optimizer.ApplySchedule's step indexing.
using TextGen.Optim;
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests.Optim;

public class LearningRateScheduleTests
{
    [Fact]
    public void ConstantSchedule_gives_the_same_rate_at_every_step()
    {
        var s = new ConstantSchedule(0.002);
        Assert.Equal(0.002, s.LearningRateAt(0));
        Assert.Equal(0.002, s.LearningRateAt(123_456));
    }

    [Theory]
    [InlineData(0, 0.1)]
    [InlineData(2, 0.1)]
    [InlineData(3, 0.05)]
    [InlineData(5, 0.05)]
    [InlineData(6, 0.025)]
    [InlineData(10, 0.0125)]
    public void StepSchedule_halves_every_three_steps_like_StepLR(int step, double expected)
    {
        var s = new StepSchedule(0.1, stepSize: 3, gamma: 0.5);
        Assert.Equal(expected, s.LearningRateAt(step), 1e-15);
    }

    [Theory]
    [InlineData(0, 0.25)]     // warm-up: base * 1 / 4
    [InlineData(1, 0.5)]
    [InlineData(3, 1.0)]      // last warm-up step reaches the peak
    [InlineData(4, 1.0)]      // cosine starts at the peak: q = 0
    [InlineData(9, 0.55)]     // q = 1/2: min + (base - min) / 2 = 0.1 + 0.45
    [InlineData(14, 0.1)]     // q = 1: the floor
    [InlineData(100, 0.1)]    // held at the floor after the end
    public void CosineSchedule_warms_up_linearly_then_follows_half_a_cosine_to_the_floor(int step, double expected)
    {
        var s = new CosineSchedule(baseLr: 1.0, totalSteps: 14, warmupSteps: 4, minLr: 0.1);
        Assert.Equal(expected, s.LearningRateAt(step), 1e-12);
    }

    [Fact]
    public void CosineSchedule_without_warmup_matches_the_cosine_annealing_closed_form()
    {
        var s = new CosineSchedule(baseLr: 0.01, totalSteps: 100);
        for (int step = 0; step <= 100; step += 7)
            Assert.Equal(0.005 * (1 + Math.Cos(Math.PI * step / 100)), s.LearningRateAt(step), 1e-15);
    }

    [Fact]
    public void ApplySchedule_uses_the_step_count_so_the_first_step_gets_step_zero()
    {
        var p = new Tensor([1f], 1);
        var optimizer = new Sgd([p], lr: 1.0);
        var schedule = new StepSchedule(0.5, stepSize: 1, gamma: 0.5);

        Assert.Equal(0.5, optimizer.ApplySchedule(schedule));
        p.Grad = new Tensor([1f], 1);
        optimizer.Step();                       // p = 1 - 0.5
        Assert.Equal(0.25, optimizer.ApplySchedule(schedule));
        optimizer.Step();                       // p = 0.5 - 0.25
        Assert.Equal(0.25f, p.Data[0]);
    }

    [Fact]
    public void Schedules_reject_impossible_settings_with_a_message()
    {
        Assert.Contains("step size", Assert.Throws<ArgumentOutOfRangeException>(() => new StepSchedule(0.1, 0)).Message);
        Assert.Contains("must exceed warm-up", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(0.1, 10, warmupSteps: 10)).Message);
        Assert.Contains("above base lr", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(0.1, 10, minLr: 0.2)).Message);
        Assert.Contains("steps count from 0", Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantSchedule(0.1).LearningRateAt(-1)).Message);
    }
}
