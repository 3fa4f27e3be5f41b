// The median timer runs the warm-up untimed and reports the middle of the timed runs, so one slow run
// (here the first, made slow on purpose) cannot decide the result.
using TextGen.Benchmarks;
using Xunit;

namespace TextGen.Tests.Benchmarks;

public class MedianTimerTests
{
    [Fact]
    public void Median_is_the_middle_value_or_the_mean_of_the_middle_two()
    {
        Assert.Equal(3, MedianTimer.Median([5, 1, 3]));
        Assert.Equal(2.5, MedianTimer.Median([4, 1, 3, 2]));
        Assert.Equal(7, MedianTimer.Median([7]));
        Assert.Throws<ArgumentException>(() => MedianTimer.Median([]));
    }

    [Fact]
    public void Warm_up_runs_are_not_timed_and_one_slow_run_does_not_move_the_median()
    {
        int calls = 0;
        var sample = MedianTimer.Measure(() =>
        {
            calls++;
            if (calls == 2) Thread.Sleep(300);   // the first timed run is slow
        }, repeats: 5, warmup: 1);
        Assert.Equal(6, calls);
        Assert.Equal(5, sample.Repeats);
        Assert.True(sample.MaxMs >= 300, $"the slow run took {sample.MaxMs} ms");
        // The four other timed runs do nothing: for the median of five to reach the slow run's 300 ms, two of them would
        // have to stall for 300 ms each, which no busy machine does to an empty call. So this fails only if the slow run
        // decided the median.
        Assert.True(sample.MedianMs < 300 && sample.MedianMs < sample.MaxMs, $"median {sample.MedianMs} ms should be one of the fast runs (slowest {sample.MaxMs} ms)");
        Assert.True(sample.MinMs <= sample.MedianMs && sample.MedianMs <= sample.MaxMs);
        Assert.Throws<ArgumentOutOfRangeException>(() => MedianTimer.Measure(() => { }, repeats: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MedianTimer.Measure(() => { }, warmup: -1));
    }
}
