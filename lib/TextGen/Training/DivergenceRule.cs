// The one rule that says a training run has diverged, shared by every training loop (the CPU trainer, the GPU
// trainer): a loss or gradient that is not finite, or a finite loss far above an untrained model's or the run's best.
using System.Globalization;

namespace TextGen.Training;

/// <summary>Which part of the divergence rule a step broke.</summary>
public enum DivergenceReason
{
    /// <summary>The loss is NaN or infinite.</summary>
    NonFiniteLoss,
    /// <summary>The gradient norm is NaN or infinite.</summary>
    NonFiniteGradient,
    /// <summary>The loss is more than <see cref="DivergenceRule.UntrainedFactor"/> times the baseline (ln V, or the run's first loss when higher).</summary>
    FarAboveUntrained,
    /// <summary>The loss is above the baseline and more than <see cref="DivergenceRule.BestFactor"/> times the lowest loss of the run.</summary>
    FarAboveBest,
}

/// <summary>A step that broke the rule: which part, the figure judged, the limit it passed, and that in words.</summary>
public sealed record Divergence(DivergenceReason Reason, double Value, double Limit, string What);

/// <summary>
/// Judges the losses of one run, step by step, against the divergence rule described in docs/RELIABILITY.md.
/// Give it the losses in order; the first that breaks the rule comes back as a <see cref="Divergence"/>.
/// </summary>
/// <remarks>
/// With V tokens, an untrained model gives ln V nats. The baseline is B = max(ln V, L₁), L₁ being the run's first loss
/// (higher than ln V only for a model that starts badly, say a fine-tuned one on new text). A step's training loss L
/// diverges when L or the gradient norm is not finite, when L &gt; 3·B, or when L &gt; max(B, 10·best), best being the
/// lowest training loss so far. No warm-up grace is needed: the baseline already holds what the model gave at its start.
/// A validation loss is judged by the first two parts only, since a model that overfits can sit far above its best
/// training loss without diverging.
/// </remarks>
public sealed class DivergenceRule
{
    /// <summary>How many times the baseline a loss may reach.</summary>
    public const double UntrainedFactor = 3;

    /// <summary>How many times the run's best loss a loss above the baseline may reach.</summary>
    public const double BestFactor = 10;

    private readonly int vocabularySize;

    /// <summary>A rule for a model over <paramref name="vocabularySize"/> tokens; a resumed run passes the first and best losses it had.</summary>
    public DivergenceRule(int vocabularySize, double? firstLoss = null, double? bestLoss = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabularySize, 1);
        this.vocabularySize = vocabularySize;
        UntrainedLoss = Math.Log(vocabularySize);
        FirstLoss = firstLoss is { } f && double.IsFinite(f) ? f : null;
        BestLoss = bestLoss is { } b && double.IsFinite(b) ? b : null;
    }

    /// <summary>ln V: the loss of a model that finds every token equally likely.</summary>
    public double UntrainedLoss { get; }

    /// <summary>The run's first training loss, once seen.</summary>
    public double? FirstLoss { get; private set; }

    /// <summary>The lowest training loss seen so far.</summary>
    public double? BestLoss { get; private set; }

    /// <summary>B = max(ln V, first loss).</summary>
    public double Baseline => Math.Max(UntrainedLoss, FirstLoss ?? UntrainedLoss);

    /// <summary>Judges a training step's loss and records it; null when the step is fine.</summary>
    public Divergence? JudgeLoss(double loss)
    {
        if (!double.IsFinite(loss)) return new(DivergenceReason.NonFiniteLoss, loss, double.NaN, $"the loss is {FigureText.Format(loss)}");
        FirstLoss ??= loss;
        if (AboveUntrained(loss, "loss") is { } far) return far;
        if (BestLoss is { } best && loss > Math.Max(Baseline, BestFactor * best))
            return new(DivergenceReason.FarAboveBest, loss, Math.Max(Baseline, BestFactor * best),
                $"the loss {N(loss)} nats is more than {BestFactor:0} × the run's best loss {N(best)} and above the baseline {N(Baseline)}");
        BestLoss = Math.Min(BestLoss ?? loss, loss);
        return null;
    }

    /// <summary>Judges a step's gradient norm; null when it is finite.</summary>
    public static Divergence? JudgeGradient(double gradientNorm) => double.IsFinite(gradientNorm) ? null
        : new(DivergenceReason.NonFiniteGradient, gradientNorm, double.NaN, $"the gradient norm is {FigureText.Format(gradientNorm)}");

    /// <summary>
    /// Judges a loss measured after a step's update (by default the validation loss), by the non-finite and far-above-untrained
    /// parts; null when fine. <paramref name="what"/> names the figure in the message.
    /// </summary>
    public Divergence? JudgeValidation(double loss, string what = "validation loss after the update") => !double.IsFinite(loss)
        ? new(DivergenceReason.NonFiniteLoss, loss, double.NaN, $"the {what} is {FigureText.Format(loss)}")
        : AboveUntrained(loss, what);

    private Divergence? AboveUntrained(double loss, string what)
    {
        double limit = UntrainedFactor * Baseline;
        return loss > limit
            ? new(DivergenceReason.FarAboveUntrained, loss, limit, $"the {what} {N(loss)} nats is more than {UntrainedFactor:0} × {BaselineWords}")
            : null;
    }

    private string BaselineWords => FirstLoss is { } f && f > UntrainedLoss
        ? $"{N(f)} = {N(UntrainedFactor * f)} ({N(f)} is the run's first loss; an untrained model gives ln {vocabularySize} = {N(UntrainedLoss)})"
        : $"ln {vocabularySize} = {N(UntrainedFactor * UntrainedLoss)} (ln {vocabularySize} = {N(UntrainedLoss)} is what an untrained model gives)";

    private static string N(double v) => FigureText.Format(v);

    /// <summary>
    /// The one-line message of a diverged run: the step, what broke the rule, the likely cause with its fix, and what
    /// became of the checkpoint (<paramref name="keptCheckpoint"/> names the last good model, or null when the run saved none).
    /// </summary>
    public static string Message(int step, Divergence d, float learningRate, float clip, bool beforeAnyUpdate, string? keptCheckpoint, string? checkpointPath)
    {
        static string Rate(float x) => x.ToString(x >= 1e4 || x < 1e-4 ? "0.##e+0" : "0.#####", CultureInfo.InvariantCulture);
        // A tenth of the rate, but never more than the default: a tenth of an absurd rate (1e6) would still diverge.
        float defaultRate = new TrainOptions().LearningRate;
        string lower = learningRate / 10 > defaultRate
            ? $"lower the learning rate (--lr, TrainOptions.LearningRate: try the default, {Rate(defaultRate)})"
            : $"lower the learning rate (--lr, TrainOptions.LearningRate: try {Rate(learningRate / 10)})";
        string cause = beforeAnyUpdate && d.Reason is DivergenceReason.NonFiniteLoss or DivergenceReason.NonFiniteGradient
            ? "Likely cause: the model's weights hold NaN or ∞ before any update (check where they came from)."
            : $"Likely cause: a learning rate too high for this model ({Rate(learningRate)})" + (clip > 0
                ? $", even with gradients clipped at {Rate(clip)}. Fix: {lower} or clip harder (--clip {Rate(clip / 2)})."
                : $" with gradient clipping off. Fix: {lower} or clip gradients (--clip 1, TrainOptions.Clip = 1).");
        string saved = keptCheckpoint is not null ? $" The last good model is kept in '{keptCheckpoint}'; it was not overwritten."
            : checkpointPath is not null ? $" This run saved no model to '{checkpointPath}'."
            : "";
        return $"training diverged at step {step}: {d.What}. {cause}{saved}";
    }
}

/// <summary>
/// A training run broke the divergence rule (<see cref="DivergenceRule"/>): the step, the loss and the reason are kept, and the
/// message names the likely cause and its fix. No model of the diverged run was saved; the last good checkpoint is as it was.
/// </summary>
public sealed class TrainingDivergedException(int step, Divergence divergence, string message) : Exception(message)
{
    /// <summary>The 1-based optimizer step whose loss or gradient broke the rule.</summary>
    public int Step { get; } = step;

    /// <summary>The loss (or gradient norm, for <see cref="DivergenceReason.NonFiniteGradient"/>) that broke it.</summary>
    public double Loss { get; } = divergence.Value;

    /// <summary>Which part of the rule was broken.</summary>
    public DivergenceReason Reason { get; } = divergence.Reason;

    /// <summary>The limit the loss passed (NaN for the non-finite parts).</summary>
    public double Limit { get; } = divergence.Limit;

    /// <summary>The checkpoint holding the run's last good model, or null when the run saved none.</summary>
    public string? KeptCheckpoint { get; init; }

    /// <summary>The training loss of the batch at <see cref="Step"/> (the figure judged, unless a gradient or validation loss broke the rule).</summary>
    public float TrainingLoss { get; init; } = float.NaN;

    /// <summary>The step's gradient norm before clipping; NaN when the rule stopped the step at its loss, before the gradient was measured.</summary>
    public float GradNorm { get; init; } = float.NaN;
}
