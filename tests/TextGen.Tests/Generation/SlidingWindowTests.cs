// The sliding-window generator against two references: the stateful generator (the same text when the window
// covers everything) and a full forward pass over the last W tokens from a zero state; its feed count against the closed form.
using TextGen.Generation;
using TextGen.Nn;
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests.Generation;

public class SlidingWindowTests
{
    private static CharRnnModel Model(RecurrentArch arch = RecurrentArch.Lstm)
    {
        var model = new CharRnnModel(new CharRnnConfig(11, arch, 5, 8), seed: 7);
        model.Eval();
        return model;
    }

    [Theory]
    [InlineData(DecodingStrategy.Greedy)]
    [InlineData(DecodingStrategy.Sample)]
    public void A_window_that_covers_the_whole_text_gives_the_stateful_generators_tokens(DecodingStrategy strategy)
    {
        var model = Model();
        int[] prompt = [1, 4, 2];
        var options = new SamplingOptions { Strategy = strategy, Temperature = 1.2f, Seed = 5 };
        var stateful = new CountingStepModel(new StepSession(model));
        var window = new CountingStepModel(new StepSession(model));
        var a = TextGenerator.GenerateIds(stateful, prompt, 30, options).ToArray();
        var b = SlidingWindowGenerator.GenerateIds(window, prompt, 30, window: 100, options).ToArray();
        Assert.Equal(30, b.Length);
        Assert.Equal(a, b);
        Assert.Equal(prompt.Length + 30 - 1, stateful.TokensFed);
        Assert.Equal(SlidingWindowGenerator.TokensFed(prompt.Length, 30, 100), window.TokensFed);
        Assert.Equal(30, window.Calls);
    }

    [Theory]
    [InlineData(RecurrentArch.Lstm)]
    [InlineData(RecurrentArch.Gru)]
    public void Each_draw_equals_a_full_forward_pass_over_the_last_window_tokens_from_a_zero_state(RecurrentArch arch)
    {
        var model = Model(arch);
        const int w = 4;
        var text = new List<int> { 3, 0, 9, 2, 6, 1 };
        var got = SlidingWindowGenerator.GenerateIds(new StepSession(model), text.ToArray(), 12, w, new SamplingOptions { Strategy = DecodingStrategy.Greedy }).ToArray();
        foreach (var token in got)
        {
            var context = text.Skip(text.Count - w).ToArray();
            var (logits, _) = model.Forward(context, 1, w);                         // (1, w, V), zero initial state
            var last = logits.Data.AsSpan((w - 1) * model.VocabularySize, model.VocabularySize);
            Assert.Equal(LogitsSampler.ArgMax(last), token);
            text.Add(token);
        }
    }

    [Fact]
    public void The_feed_count_is_the_sum_of_the_growing_then_full_windows()
    {
        Assert.Equal(7 + 8 + 9 + 10 + 10 + 10, SlidingWindowGenerator.TokensFed(7, 6, 10));
        Assert.Equal(200L * 40, SlidingWindowGenerator.TokensFed(50, 200, 40));
        Assert.Equal(0, SlidingWindowGenerator.TokensFed(3, 0, 5));
        var counted = new CountingStepModel(new StepSession(Model()));
        _ = SlidingWindowGenerator.GenerateIds(counted, [1, 2], 25, 6, new SamplingOptions { Seed = 2 }).ToArray();
        Assert.Equal(SlidingWindowGenerator.TokensFed(2, 25, 6), counted.TokensFed);
        counted.Reset();
        Assert.Equal(0, counted.TokensFed);
    }

    [Fact]
    public void Bad_arguments_are_refused_with_the_setting_named()
    {
        var session = new StepSession(Model());
        Assert.Contains("window", Assert.Throws<ArgumentOutOfRangeException>(() => SlidingWindowGenerator.GenerateIds(session, [1], 5, 0, new SamplingOptions())).Message);
        Assert.Throws<ArgumentException>(() => SlidingWindowGenerator.GenerateIds(session, [], 5, 3, new SamplingOptions()));
    }
}
