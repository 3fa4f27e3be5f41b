// Wall-clock timing that a single slow run cannot decide: warm-up runs first (the JIT compiles the code, caches
// fill), then several timed runs, of which the median is reported with the spread. The benchmark times with it, and
// lessons compare costs with it.
using System.Diagnostics;

namespace TextGen.Benchmarks;

/// <summary>What <see cref="MedianTimer.Measure"/> found: the median of the timed runs and their range, in milliseconds.</summary>
/// <param name="MedianMs">The median of the timed runs (the mean of the middle two for an even count).</param>
/// <param name="MinMs">The fastest timed run.</param>
/// <param name="MaxMs">The slowest timed run.</param>
/// <param name="Repeats">How many runs were timed (warm-up runs not counted).</param>
public sealed record TimingSample(double MedianMs, double MinMs, double MaxMs, int Repeats);

/// <summary>Times an action: <c>warmup</c> untimed runs, then <c>repeats</c> timed ones, reported by their median.</summary>
public static class MedianTimer
{
    /// <summary>Runs <paramref name="run"/> <paramref name="warmup"/> times untimed, then <paramref name="repeats"/> times timed.</summary>
    /// <param name="run">The work to time.</param>
    /// <param name="repeats">Timed runs, at least 1.</param>
    /// <param name="warmup">Untimed runs before them, 0 or more.</param>
    public static TimingSample Measure(Action run, int repeats = 5, int warmup = 1)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (repeats < 1) throw new ArgumentOutOfRangeException(nameof(repeats), $"timer: repeats {repeats} must be at least 1");
        if (warmup < 0) throw new ArgumentOutOfRangeException(nameof(warmup), $"timer: warm-up runs {warmup} must be 0 or more");
        for (int i = 0; i < warmup; i++) run();
        var ms = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            long start = Stopwatch.GetTimestamp();
            run();
            ms[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return new TimingSample(Median(ms), ms.Min(), ms.Max(), repeats);
    }

    /// <summary>The median of <paramref name="values"/>: the middle value, or the mean of the middle two for an even count.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("median: no values");
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
