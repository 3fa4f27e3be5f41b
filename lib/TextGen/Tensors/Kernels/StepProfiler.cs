// Optional timing of where a training step spends its time (matrix products, gates, softmax,
// optimizer), for `textgen bench --profile`. Off by default: then each probe is one branch.
using System.Diagnostics;

namespace TextGen.Tensors.Kernels;

/// <summary>Accumulates wall time per named phase while <see cref="Enabled"/> is set.</summary>
public static class StepProfiler
{
    private static readonly Dictionary<string, long> Ticks = [];

    /// <summary>Whether phases are timed.</summary>
    public static bool Enabled { get; set; }

    /// <summary>Starts timing a phase; dispose the result to stop. Free when disabled.</summary>
    public static Scope Time(string phase) => Enabled ? new Scope(phase, Stopwatch.GetTimestamp()) : default;

    /// <summary>Milliseconds per phase since the last <see cref="Reset"/>, largest first.</summary>
    public static IReadOnlyList<(string Phase, double Milliseconds)> Report()
    {
        lock (Ticks) return Ticks.OrderByDescending(kv => kv.Value).Select(kv => (kv.Key, kv.Value * 1000.0 / Stopwatch.Frequency)).ToList();
    }

    /// <summary>Clears the accumulated times.</summary>
    public static void Reset()
    {
        lock (Ticks) Ticks.Clear();
    }

    /// <summary>A running measurement.</summary>
    public readonly struct Scope(string? phase, long start) : IDisposable
    {
        /// <summary>Adds the elapsed time to its phase.</summary>
        public void Dispose()
        {
            if (phase is null) return;
            long elapsed = Stopwatch.GetTimestamp() - start;
            lock (Ticks) Ticks[phase] = Ticks.GetValueOrDefault(phase) + elapsed;
        }
    }
}
