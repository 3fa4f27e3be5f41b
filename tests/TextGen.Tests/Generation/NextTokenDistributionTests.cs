// The next-token listing: the model's softmax after the prompt, <unk> masked and the rest renormalised as in generation.
using System.Globalization;
using TextGen.Generation;
using TextGen.Text;
using Xunit;

namespace TextGen.Tests.Generation;

public class NextTokenDistributionTests
{
    // After "the" (id 1) the logits are 3, 0, 2, 1 for <unk>, the, cat, sat; after anything else all are 0.
    private static BigramModel Model() => new(new float[,] { { 0, 0, 0, 0 }, { 3, 0, 2, 1 }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 } });
    private static readonly WordTokenizer Words = new(new Vocabulary([WordTokenizer.UnknownToken, "the", "cat", "sat"]));

    [Fact]
    public void The_listing_leaves_out_unk_renormalises_the_rest_and_says_so()
    {
        var next = NextTokenDistribution.After(Model(), Words, "the");
        double all = Math.Exp(3) + 1 + Math.Exp(2) + Math.Exp(1), allowed = 1 + Math.Exp(2) + Math.Exp(1);
        var top = next.Top(10);
        Assert.Equal(["cat", "sat", "the"], top.Select(t => t.Token));
        Assert.Equal([2, 3, 1], top.Select(t => t.Id));
        Assert.Equal(Math.Exp(2) / allowed, top[0].Probability, 6);
        Assert.Equal(Math.Exp(1) / allowed, top[1].Probability, 6);
        Assert.Equal(1 / allowed, top[2].Probability, 6);
        Assert.Equal(1.0, next.Probabilities.Sum(p => (double)p), 5);
        Assert.Equal(0, next.ProbabilityOf(WordTokenizer.UnknownToken));
        Assert.Equal(0, next.MaskedId);
        Assert.Equal(Math.Exp(3) / all, next.MaskedProbability, 6);
        Assert.Contains("<unk> is masked", next.Note);
        Assert.Contains((Math.Exp(3) / all).ToString("P1", CultureInfo.InvariantCulture), next.Note);   // 64.4 %
        Assert.Contains("renormalised", next.ToString());
    }

    [Fact]
    public void Allowed_unk_is_listed_with_the_models_own_probability()
    {
        var next = NextTokenDistribution.After(Model(), Words, "the", allowUnknown: true);
        double all = Math.Exp(3) + 1 + Math.Exp(2) + Math.Exp(1);
        Assert.Null(next.MaskedId);
        Assert.Equal("", next.Note);
        Assert.Equal(new NextToken(0, "<unk>", Math.Exp(3) / all).Token, next.Top(1)[0].Token);
        Assert.Equal(Math.Exp(3) / all, next.Top(1)[0].Probability, 6);
        Assert.Equal(2, next.Top(2).Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => next.Top(0));
    }

    [Fact]
    public void Temperature_divides_the_logits_and_labels_escape_line_breaks()
    {
        var words = new WordTokenizer(new Vocabulary([WordTokenizer.UnknownToken, "the", "\n", "sat"]));
        var next = NextTokenDistribution.After(Model(), words, "the", temperature: 2f);
        double allowed = 1 + Math.Exp(1) + Math.Exp(0.5);
        Assert.Equal(Math.Exp(1) / allowed, next.ProbabilityOf("\n"), 6);
        Assert.Equal("\\n", next.Top(1)[0].Label);
        Assert.Equal(2f, next.Temperature);
        Assert.Contains("different checkpoints", Assert.Throws<ArgumentException>(() =>
            NextTokenDistribution.After(Model(), new WordTokenizer(new Vocabulary(["<unk>", "a"])), "a")).Message);
    }
}
