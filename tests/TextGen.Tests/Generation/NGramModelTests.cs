// The n-gram baseline against hand-counted probabilities.
using TextGen.Generation;
using Xunit;

namespace TextGen.Tests.Generation;

public class NGramModelTests
{
    [Fact]
    public void Bigram_probabilities_are_smoothed_counts()
    {
        int[] ids = [0, 1, 0, 1, 0, 2]; // after 0: 1 twice, 2 once
        var m = NGramModel.Fit(ids, 3, order: 2, smoothing: 0.5f);
        var lp = new float[3];
        m.LogProbabilities([0], lp);
        Assert.Equal(Math.Log(2.5 / 4.5), lp[1], 5);
        Assert.Equal(Math.Log(1.5 / 4.5), lp[2], 5);
        Assert.Equal(Math.Log(0.5 / 4.5), lp[0], 5);
        m.LogProbabilities([2], lp); // never seen as a context: uniform
        Assert.Equal(Math.Log(1.0 / 3), lp[0], 5);
    }

    [Fact]
    public void Loss_is_the_mean_negative_log_probability_and_generation_follows_the_counts()
    {
        int[] ids = Enumerable.Range(0, 300).Select(i => i % 3).ToArray(); // 0 1 2 0 1 2 ...
        var m = NGramModel.Fit(ids, 3, order: 3, smoothing: 0.01f);
        Assert.True(m.Loss(ids) < 0.05);
        var greedy = TextGenerator.GenerateIds(m, [0, 1], 6, new SamplingOptions { Strategy = DecodingStrategy.Greedy }).ToArray();
        Assert.Equal([2, 0, 1, 2, 0, 1], greedy);
        Assert.Throws<ArgumentOutOfRangeException>(() => NGramModel.Fit(ids, 3, order: 0));
    }
}
