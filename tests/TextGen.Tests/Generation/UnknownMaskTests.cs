// <unk> is masked before every draw of every strategy unless allowed: a model that ranks <unk> first never writes it by
// default, writes it when allowed, and the other tokens share its probability (checked against the closed-form softmax).
using TextGen.Generation;
using TextGen.Nn;
using TextGen.Text;
using Xunit;

namespace TextGen.Tests.Generation;

public class UnknownMaskTests
{
    // Token 0 is <unk>, and after every token it has the largest logit: p(<unk>) = e^4 / (e^4 + e^1 + e^0.5 + e^0) ≈ 0.90.
    private static readonly float[] Row = [4f, 1f, 0.5f, 0f];
    private static BigramModel Model() => new(new float[,] { { 4, 1, 0.5f, 0 }, { 4, 1, 0.5f, 0 }, { 4, 1, 0.5f, 0 }, { 4, 1, 0.5f, 0 } });
    private static readonly WordTokenizer Words = new(new Vocabulary([WordTokenizer.UnknownToken, "the", "cat", "sat"]));

    public static TheoryData<string, SamplingOptions> Strategies => new()
    {
        { "greedy", new SamplingOptions { Strategy = DecodingStrategy.Greedy } },
        { "temperature 1", new SamplingOptions { Temperature = 1f, Seed = 4 } },
        { "temperature 3", new SamplingOptions { Temperature = 3f, Seed = 5 } },
        { "top-k 1", new SamplingOptions { Temperature = 1f, TopK = 1 } },
        { "top-k 2", new SamplingOptions { Temperature = 1f, TopK = 2, Seed = 6 } },
        { "top-p 0.5", new SamplingOptions { Temperature = 1f, TopP = 0.5f } },
        { "top-p 0.95", new SamplingOptions { Temperature = 1f, TopP = 0.95f, Seed = 7 } },
        { "repetition penalty", new SamplingOptions { Temperature = 1f, RepetitionPenalty = 2f, Seed = 8 } },
    };

    [Theory]
    [MemberData(nameof(Strategies))]
    public void No_drawing_strategy_writes_unk_by_default_and_each_can_when_allowed(string name, SamplingOptions options)
    {
        var masked = TextGenerator.GenerateIds(Model(), [1], 300, options, unknownId: 0).ToArray();
        Assert.True(masked.Length == 300 && !masked.Contains(0), name);
        var window = SlidingWindowGenerator.GenerateIds(Model(), [1], 300, 3, options, unknownId: 0).ToArray();
        Assert.True(window.Length == 300 && !window.Contains(0), name);
        var allowed = TextGenerator.GenerateIds(Model(), [1], 300, options with { AllowUnknown = true }, unknownId: 0).ToArray();
        Assert.True(allowed.Count(t => t == 0) > 100, $"{name}: {allowed.Count(t => t == 0)} of 300");   // p(<unk>) ≥ 0.5 in each
        var allowedWindow = SlidingWindowGenerator.GenerateIds(Model(), [1], 300, 3, options with { AllowUnknown = true }, unknownId: 0).ToArray();
        Assert.True(allowedWindow.Count(t => t == 0) > 100, name);
        // greedy and top-k 1 take the best allowed token every time
        if (options.Strategy == DecodingStrategy.Greedy || options.TopK == 1) Assert.All(masked, t => Assert.Equal(1, t));
    }

    [Fact]
    public void Beam_search_keeps_no_beam_with_unk_and_scores_over_the_allowed_tokens()
    {
        foreach (int width in new[] { 1, 3, 8 })
        {
            var beams = BeamSearch.Run(Model(), [1], 5, width, lengthPenalty: 0, maskedToken: 0);
            Assert.Equal(Math.Min(width, 3 * 3 * 3 * 3 * 3), beams.Count);
            Assert.All(beams, b => Assert.DoesNotContain(0, b.Tokens));
            // the best beam repeats the best allowed token; its log-probability uses the softmax over tokens 1..3
            double logAllowed = Math.Log(Math.Exp(1) / (Math.Exp(1) + Math.Exp(0.5) + Math.Exp(0)));
            Assert.Equal([1, 1, 1, 1, 1], beams[0].Tokens);
            Assert.Equal(5 * logAllowed, beams[0].LogProbability, 5);
        }
        var open = BeamSearch.Run(Model(), [1], 5, 3, lengthPenalty: 0)[0];
        Assert.Equal([0, 0, 0, 0, 0], open.Tokens);
        Assert.Contains("not its only one", Assert.Throws<ArgumentOutOfRangeException>(() => BeamSearch.Run(new BigramModel(new float[,] { { 1 } }), [0], 2, 2, 0, maskedToken: 0)).Message);
    }

    [Fact]
    public void The_masked_distribution_is_the_softmax_over_the_allowed_tokens()
    {
        var d = new LogitsSampler(new SamplingOptions { Temperature = 1f }, unknownId: 0).Distribution(Row).ToArray();
        double z = Math.Exp(1) + Math.Exp(0.5) + Math.Exp(0);
        Assert.Equal(0f, d[0]);
        Assert.Equal(Math.Exp(1) / z, d[1], 6);
        Assert.Equal(Math.Exp(0.5) / z, d[2], 6);
        Assert.Equal(1 / z, d[3], 6);
        var open = new LogitsSampler(new SamplingOptions { Temperature = 1f, AllowUnknown = true }, unknownId: 0);
        Assert.Null(open.MaskedId);
        Assert.Equal(Math.Exp(4) / (z + Math.Exp(4)), open.Distribution(Row)[0], 6);
        Assert.Contains("different checkpoints", Assert.Throws<ArgumentException>(() => new LogitsSampler(new SamplingOptions(), unknownId: 9).Distribution(Row).ToArray()).Message);
        Assert.Contains("--allow-unknown", Assert.Throws<ArgumentException>(() => new LogitsSampler(new SamplingOptions(), unknownId: 0).Distribution([1f]).ToArray()).Message);
    }

    [Fact]
    public void Text_generation_finds_unk_in_the_tokenizer_and_masks_it_in_every_strategy()
    {
        Assert.Equal(0, LogitsSampler.UnknownIdOf(Words));
        Assert.Null(LogitsSampler.UnknownIdOf(CharTokenizer.FromText("the cat")));
        var model = new CharRnnModel(new CharRnnConfig(4, RecurrentArch.Lstm, 4, 8, 1), seed: 3);
        model.StateDict()["decoder.bias"].Data[0] = 30f;   // <unk> first by far, whatever the input
        foreach (var options in new[] { new SamplingOptions { Strategy = DecodingStrategy.Greedy }, new SamplingOptions { Temperature = 1f, TopK = 1 },
                     new SamplingOptions { Strategy = DecodingStrategy.Beam, BeamWidth = 3 }, new SamplingOptions { Temperature = 2f, Seed = 9 } })
        {
            string text = TextGenerator.Complete(model, Words, "the cat", 40, options).Continuation;
            Assert.DoesNotContain("<unk>", text);
            Assert.Equal(40, WordTokenizer.Split(text, false).Count());
            Assert.Contains("<unk>", TextGenerator.Complete(model, Words, "the cat", 40, options with { AllowUnknown = true }).Continuation);
            if (options.Strategy == DecodingStrategy.Beam) continue;
            Assert.DoesNotContain("<unk>", SlidingWindowGenerator.Complete(model, Words, "the cat", 40, 5, options).Continuation);
            Assert.Contains("<unk>", SlidingWindowGenerator.Complete(model, Words, "the cat", 40, 5, options with { AllowUnknown = true }).Continuation);
        }
    }

    [Fact]
    public void Allowing_unk_is_described_with_the_settings()
    {
        Assert.Equal("greedy", new SamplingOptions { Strategy = DecodingStrategy.Greedy }.Describe());
        Assert.Equal("greedy, <unk> allowed", new SamplingOptions { Strategy = DecodingStrategy.Greedy, AllowUnknown = true }.Describe());
    }
}
