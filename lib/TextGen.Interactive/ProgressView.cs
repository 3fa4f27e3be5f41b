// The training progress line: a bar, the step, the losses, the speed and the time left; once the run has
// ended, its summary (steps, time, why it stopped, best validation loss).
using System.Globalization;
using System.Text;
using TextGen.Training;
using static TextGen.Interactive.NotebookFormatters;

namespace TextGen.Interactive;

internal static class ProgressView
{
    public static string Text(ProgressLine line)
    {
        var inv = CultureInfo.InvariantCulture;
        if (line.Report is { } r)
            return string.Create(inv, $"done: {r.Steps:N0} steps in {r.WallTime.TotalSeconds:F0} s ({Words(r.StopReason)})") +
                (r.BestValidationLoss is { } best ? $"; best validation {FigureText.Format(best, "F3")} nats ({FigureText.Format(best / Math.Log(2), "F2")} bits) at step {r.BestStep?.ToString("N0", inv)}" : "");
        var p = line.Progress!;
        var sb = new StringBuilder(p.TotalSteps is { } total ? string.Create(inv, $"step {p.Step:N0}/{total:N0}") : string.Create(inv, $"step {p.Step:N0}"));
        sb.Append($" · train {FigureText.Format(p.Loss, "F3")}");
        if (line.LastValidationLoss is { } v) sb.Append($" · validation {FigureText.Format(v, "F3")} nats ({FigureText.Format(v / Math.Log(2), "F2")} bits)");
        sb.Append(string.Create(inv, $" · {p.TokensPerSecond:N0} tokens/s"));
        if (p.Eta is { } eta) sb.Append($" · {(int)eta.TotalMinutes}:{eta.Seconds:00} left");
        return sb.ToString();
    }

    public static string Html(ProgressLine line)
    {
        double fraction = line.Report is not null ? 1 : Math.Clamp(line.Progress?.Fraction ?? 0, 0, 1);
        return $"<div class=\"textgen-progress\" style=\"{Font};font-variant-numeric:tabular-nums\">" +
            $"<span style=\"display:inline-block;width:120px;height:8px;background:#d0d7de;border-radius:4px;vertical-align:middle;margin-right:8px\">" +
            $"<span style=\"display:block;width:{(fraction * 100).ToString("0.#", CultureInfo.InvariantCulture)}%;height:8px;background:#2da44e;border-radius:4px\"></span></span>" +
            $"{E(Text(line))}</div>";
    }

    private static string Words(StopReason reason) => reason switch
    {
        StopReason.EarlyStopped => "stopped early: validation stopped improving",
        StopReason.TimeUp => "time budget used",
        StopReason.BudgetReached => "step budget used",
        StopReason.Cancelled => "interrupted",
    };
}
