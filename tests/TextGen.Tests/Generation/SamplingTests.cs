// Sampling against known distributions: fixed logits, and a bigram model whose every step is known.
using TextGen.Generation;
using TextGen.Nn;
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests.Generation;

/// <summary>A model whose next-token logits depend only on the last token: a fixed table. Counts what it is fed.</summary>
internal sealed class BigramModel(float[,] table) : IStepModel
{
    public int Fed { get; private set; }
    public int VocabularySize => table.GetLength(1);
    public StepState CreateState() => new([-1], []);
    public void Feed(StepState state, ReadOnlySpan<int> tokens, Span<float> logits)
    {
        Fed += tokens.Length;
        state.H[0] = tokens[^1];
        for (int j = 0; j < VocabularySize; j++) logits[j] = table[tokens[^1], j];
    }
}

public class SamplingTests
{
    private static readonly float[] Logits = [2f, 1f, 0.5f, 0f, -1f];

    private static double[] Frequencies(SamplingOptions o, int draws = 20000)
    {
        var s = new LogitsSampler(o);
        var f = new double[Logits.Length];
        for (int i = 0; i < draws; i++) f[s.Sample(Logits)]++;
        return f.Select(x => x / draws).ToArray();
    }

    private static double[] Softmax(float t) { var e = Logits.Select(l => Math.Exp(l / t)).ToArray(); return e.Select(x => x / e.Sum()).ToArray(); }

    [Fact]
    public void Temperature_one_samples_the_softmax()
    {
        var f = Frequencies(new SamplingOptions { Temperature = 1f });
        var p = Softmax(1f);
        for (int i = 0; i < p.Length; i++) Assert.InRange(f[i], p[i] - 0.015, p[i] + 0.015);
    }

    [Fact]
    public void Temperature_near_zero_equals_greedy_and_higher_temperature_raises_entropy()
    {
        var cold = Frequencies(new SamplingOptions { Temperature = 1e-4f }, 2000);
        Assert.Equal(1.0, cold[0]);
        static double Entropy(double[] p) => -p.Where(x => x > 0).Sum(x => x * Math.Log(x));
        Assert.True(Entropy(Frequencies(new SamplingOptions { Temperature = 2f })) > Entropy(Frequencies(new SamplingOptions { Temperature = 0.5f })));
    }

    [Fact]
    public void Top_k_never_emits_outside_the_k_best_and_renormalises()
    {
        var f = Frequencies(new SamplingOptions { Temperature = 1f, TopK = 2 });
        Assert.Equal(0, f[2] + f[3] + f[4]);
        double p0 = Math.Exp(2) / (Math.Exp(2) + Math.Exp(1));
        Assert.InRange(f[0], p0 - 0.015, p0 + 0.015);
    }

    [Fact]
    public void Top_p_keeps_the_smallest_prefix_whose_mass_reaches_p()
    {
        var p = Softmax(1f);                 // sorted already: 0.50, 0.19, 0.11, 0.07, 0.03 (approx.)
        float topP = (float)(p[0] + p[1] + 0.01); // needs the third token to reach it
        var d = new LogitsSampler(new SamplingOptions { Temperature = 1f, TopP = topP }).Distribution(Logits).ToArray();
        Assert.True(d[0] > 0 && d[1] > 0 && d[2] > 0);
        Assert.Equal(0f, d[3]); Assert.Equal(0f, d[4]);
        Assert.True(p[0] + p[1] + p[2] >= topP && p[0] + p[1] < topP);
        var f = Frequencies(new SamplingOptions { Temperature = 1f, TopP = topP });
        Assert.Equal(0, f[3] + f[4]);
    }

    [Fact]
    public void Same_seed_gives_the_same_sequence_and_another_seed_differs()
    {
        var m = new BigramModel(new float[,] { { 0, 1, 0.5f }, { 1, 0, 0.3f }, { 0.2f, 0.4f, 0 } });
        var a = TextGenerator.GenerateIds(m, [0], 50, new SamplingOptions { Temperature = 1f, Seed = 7 }).ToArray();
        var b = TextGenerator.GenerateIds(m, [0], 50, new SamplingOptions { Temperature = 1f, Seed = 7 }).ToArray();
        var c = TextGenerator.GenerateIds(m, [0], 50, new SamplingOptions { Temperature = 1f, Seed = 8 }).ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void State_is_carried_so_each_new_token_is_fed_once()
    {
        var m = new BigramModel(new float[,] { { 0, 1 }, { 1, 0 } });
        var ids = TextGenerator.GenerateIds(m, [0, 1, 0, 1, 0], 20, new SamplingOptions { Strategy = DecodingStrategy.Greedy }).ToArray();
        Assert.Equal(20, ids.Length);
        Assert.Equal(5 + 20 - 1, m.Fed); // the prompt once, then every new token but the last
    }

    [Fact]
    public void Repetition_penalty_lowers_repeats_of_a_model_that_loves_repeating()
    {
        var m = new BigramModel(new float[,] { { 3, 1, 1 }, { 3, 1, 1 }, { 3, 1, 1 } });
        int Repeats(float penalty) => TextGenerator.GenerateIds(m, [1], 300, new SamplingOptions { Temperature = 1f, RepetitionPenalty = penalty, Seed = 3 }).Count(t => t == 0);
        Assert.True(Repeats(3f) < Repeats(1f) * 0.8, $"{Repeats(3f)} vs {Repeats(1f)}");
    }

    [Fact]
    public void Beam_of_width_one_equals_greedy_and_wider_beams_never_score_lower()
    {
        foreach (var arch in new[] { RecurrentArch.Lstm, RecurrentArch.Gru })
        {
            var model = new CharRnnModel(new CharRnnConfig(9, arch, 4, 12, 1), seed: 31);
            var s = new StepSession(model);
            int[] prompt = [1, 2, 3];
            var greedy = TextGenerator.GenerateIds(s, prompt, 12, new SamplingOptions { Strategy = DecodingStrategy.Greedy }).ToArray();
            var beam1 = BeamSearch.Run(s, prompt, 12, 1, lengthPenalty: 0)[0];
            Assert.Equal(greedy, beam1.Tokens);
            var beam5 = BeamSearch.Run(s, prompt, 12, 5, lengthPenalty: 0)[0];
            Assert.True(beam5.LogProbability >= beam1.LogProbability - 1e-9);
        }
    }

    [Fact]
    public void Beam_search_finds_a_better_sequence_where_greedy_is_myopic()
    {
        // From token 0, token 1 looks best now (0.6), but every continuation of 1 is flat, while 2 leads to a sure thing.
        var m = new BigramModel(new float[,]
        {
            { -10, MathF.Log(0.6f), MathF.Log(0.4f), -10 },
            { 0, 0, 0, 0 },
            { -10, -10, -10, 10 },
            { 0, 0, 0, 0 },
        });
        var greedy = BeamSearch.Run(m, [0], 2, 1, 0)[0];
        var beam = BeamSearch.Run(m, [0], 2, 3, 0)[0];
        Assert.Equal(1, greedy.Tokens[0]);
        Assert.Equal([2, 3], beam.Tokens);
        Assert.True(beam.LogProbability > greedy.LogProbability);
    }

    [Fact]
    public void Invalid_options_say_what_to_use_instead()
    {
        Assert.Contains("--strategy greedy", Assert.Throws<ArgumentOutOfRangeException>(() => new LogitsSampler(new SamplingOptions { Temperature = 0 })).Message);
        Assert.Contains("(0, 1]", Assert.Throws<ArgumentOutOfRangeException>(() => new LogitsSampler(new SamplingOptions { TopP = 1.5f })).Message);
        Assert.Contains("top-k", Assert.Throws<ArgumentOutOfRangeException>(() => new LogitsSampler(new SamplingOptions { TopK = -1 })).Message);
    }
}
