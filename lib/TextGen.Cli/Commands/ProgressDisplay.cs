// The progress bar of a training run (Spectre.Console), with plain lines when output is not a
// terminal, and a final completion line printed by hand (Spectre omits it without a terminal).
using Spectre.Console;
using TextGen.Training;

namespace TextGen.Cli.Commands;

internal static class ProgressDisplay
{
    public static TrainingReport Run(Trainer trainer, CancellationToken cancellation, bool quiet)
    {
        if (quiet) return trainer.Run(null, cancellation);
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            var lastLine = DateTime.MinValue;
            var report = trainer.Run(new InlineProgress(p =>
            {
                if (p.ValidationLoss is null && DateTime.UtcNow - lastLine < TimeSpan.FromSeconds(10)) return;
                lastLine = DateTime.UtcNow;
                Console.WriteLine(Describe(p));
            }), cancellation);
            return report;
        }
        TrainingReport? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("training", maxValue: 1000);
                result = trainer.Run(new InlineProgress(p =>
                {
                    task.Value = 1000 * Math.Min(1, p.Fraction ?? 0);
                    task.Description = Markup.Escape(Describe(p));
                }), cancellation);
                task.Value = 1000;
            });
        return result!;
    }

    private static string Describe(TrainingProgress p) =>
        FormattableString.Invariant($"step {p.Step}{(p.TotalSteps is { } t ? $"/{t}" : "")} loss {FigureText.Format(p.Loss, "F3")}") +
        (p.ValidationLoss is { } v ? $" val {FigureText.Format(v, "F3")} ({FigureText.Format(p.ValidationBitsPerToken ?? double.NaN, "F2")} bpc, ppl {FigureText.Format(p.ValidationPerplexity ?? double.NaN, "F1")})" : "") +
        FormattableString.Invariant($" {p.TokensPerSecond:N0} tok/s") + (p.Eta is { } e ? $" eta {e:mm\\:ss}" : "");

    /// <summary>Reports on the training thread, unlike Progress&lt;T&gt; which posts to a pool thread.</summary>
    private sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
