// Learning-rate schedules as pure functions of the step number (closed forms, like the closed-form
// variants of torch.optim.lr_scheduler), so a resumed run gets the same rates from its step count alone.
using System.ComponentModel;
using System.Text.Json.Serialization;

namespace TextGen.Optim;

/// <summary>The learning-rate schedules a training run can use.</summary>
[Description("schedule")]
[JsonConverter(typeof(EnumNameJson<ScheduleKind>))]
public enum ScheduleKind
{
    /// <summary>The same rate at every step (<see cref="ConstantSchedule"/>).</summary>
    [JsonStringEnumMemberName("constant")] Constant,
    /// <summary>Linear warm-up, then cosine decay to a tenth of the peak (<see cref="CosineSchedule"/>).</summary>
    [JsonStringEnumMemberName("cosine")] Cosine,
}

/// <summary>A learning rate for each optimizer step; drive an optimizer with <see cref="Optimizer.ApplySchedule"/>.</summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate for step <paramref name="step"/>, counted from 0 (the first update uses step 0).</summary>
    double LearningRateAt(int step);
}

/// <summary>The same learning rate at every step.</summary>
/// <param name="learningRate">The rate, &gt;= 0.</param>
public sealed class ConstantSchedule(double learningRate) : ILearningRateSchedule
{
    /// <summary>The rate returned at every step.</summary>
    public double LearningRate { get; } = Schedules.CheckRate(learningRate, nameof(learningRate));

    /// <inheritdoc />
    public double LearningRateAt(int step)
    {
        Schedules.CheckStep(step);
        return LearningRate;
    }
}

/// <summary>Decays the rate by <c>gamma</c> every <c>stepSize</c> steps, as <c>torch.optim.lr_scheduler.StepLR</c>.</summary>
/// <remarks><c>lr(step) = baseLr * gamma ^ floor(step / stepSize)</c>.</remarks>
public sealed class StepSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="baseLr">The rate for the first <paramref name="stepSize"/> steps, &gt;= 0.</param>
    /// <param name="stepSize">Steps between two decays, &gt; 0.</param>
    /// <param name="gamma">Factor applied at each decay, &gt; 0 (0.1 is usual).</param>
    public StepSchedule(double baseLr, int stepSize, double gamma = 0.1)
    {
        BaseLr = Schedules.CheckRate(baseLr, nameof(baseLr));
        if (stepSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, $"StepSchedule: step size {stepSize} must be > 0 (the number of steps between decays)");
        if (!(gamma > 0) || double.IsInfinity(gamma))
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, $"StepSchedule: gamma {gamma} must be a finite number > 0 (0.1 divides the rate by ten)");
        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <summary>The starting rate.</summary>
    public double BaseLr { get; }

    /// <summary>Steps between two decays.</summary>
    public int StepSize { get; }

    /// <summary>Factor applied at each decay.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    public double LearningRateAt(int step) => BaseLr * Math.Pow(Gamma, Schedules.CheckStep(step) / StepSize);
}

/// <summary>Linear warm-up followed by cosine decay to a floor, the usual schedule for training from scratch.</summary>
/// <remarks>
/// With W = warmupSteps and T = totalSteps:
/// <code>
/// lr(step) = baseLr * (step + 1) / W                                   for step &lt; W
/// lr(step) = minLr + (baseLr - minLr) * (1 + cos(pi * q)) / 2           for step &gt;= W,
///            where q = min(1, (step - W) / (T - W))
/// </code>
/// So step 0 gets baseLr / W (never 0, which would waste a step), step W - 1 and step W get baseLr, and every
/// step from T on gets minLr. With W = 0 this is <c>torch.optim.lr_scheduler.CosineAnnealingLR</c>'s closed form
/// with T_max = T and eta_min = minLr, held at minLr after T.
/// </remarks>
public sealed class CosineSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="baseLr">The peak rate, reached at the end of warm-up, &gt;= 0.</param>
    /// <param name="totalSteps">The step at which the rate reaches <paramref name="minLr"/>, &gt; warmupSteps.</param>
    /// <param name="warmupSteps">Steps of linear warm-up, &gt;= 0.</param>
    /// <param name="minLr">The floor, in [0, baseLr].</param>
    public CosineSchedule(double baseLr, int totalSteps, int warmupSteps = 0, double minLr = 0)
    {
        BaseLr = Schedules.CheckRate(baseLr, nameof(baseLr));
        MinLr = Schedules.CheckRate(minLr, nameof(minLr));
        if (minLr > baseLr)
            throw new ArgumentOutOfRangeException(nameof(minLr), minLr, $"CosineSchedule: min lr {minLr} is above base lr {baseLr}; the floor must not exceed the peak");
        if (warmupSteps < 0)
            throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, $"CosineSchedule: warm-up steps {warmupSteps} must be >= 0");
        if (totalSteps <= warmupSteps)
            throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, $"CosineSchedule: total steps {totalSteps} must exceed warm-up steps {warmupSteps}; pass the length of the whole run");
        TotalSteps = totalSteps;
        WarmupSteps = warmupSteps;
    }

    /// <summary>The peak rate.</summary>
    public double BaseLr { get; }

    /// <summary>The step at which the rate reaches <see cref="MinLr"/>.</summary>
    public int TotalSteps { get; }

    /// <summary>Steps of linear warm-up.</summary>
    public int WarmupSteps { get; }

    /// <summary>The floor.</summary>
    public double MinLr { get; }

    /// <inheritdoc />
    public double LearningRateAt(int step)
    {
        Schedules.CheckStep(step);
        if (step < WarmupSteps) return BaseLr * (step + 1) / WarmupSteps;
        double q = Math.Min(1.0, (double)(step - WarmupSteps) / (TotalSteps - WarmupSteps));
        return MinLr + (BaseLr - MinLr) * (1 + Math.Cos(Math.PI * q)) / 2;
    }
}

/// <summary>Argument checks shared by the schedules.</summary>
internal static class Schedules
{
    /// <summary>Returns the rate if it is a finite number &gt;= 0, else throws naming the argument.</summary>
    public static double CheckRate(double lr, string name) =>
        lr >= 0 && !double.IsInfinity(lr) ? lr
            : throw new ArgumentOutOfRangeException(name, lr, $"schedule: learning rate {lr} must be a finite number >= 0");

    /// <summary>Returns the step if it is &gt;= 0, else throws.</summary>
    public static int CheckStep(int step) =>
        step >= 0 ? step : throw new ArgumentOutOfRangeException(nameof(step), step, $"schedule: step {step} must be >= 0 (steps count from 0)");
}
