// The causal transformer against torch.nn (TransformerEncoderLayer, norm_first, causal mask) with the same weights:
// logits, loss, attention weights and every gradient; causality by perturbing the future; generation by steps.
using System.Text.Json;
using TextGen.Generation;
using TextGen.Nn;
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests.Nn;

public class TransformerTests
{
    private static IEnumerable<string> ModelNames() => Fixtures.Names("attention").Where(n => n.StartsWith("model_"));

    public static TheoryData<string> ModelCases() => new(ModelNames());

    private static CharTransformerModel FromFixture(JsonElement f)
    {
        var c = f.GetProperty("config");
        var config = new CharTransformerConfig(c.GetProperty("vocabulary").GetInt32(), c.GetProperty("block").GetInt32(),
            c.GetProperty("embedding").GetInt32(), c.GetProperty("heads").GetInt32(), c.GetProperty("layers").GetInt32(), c.GetProperty("feedforward").GetInt32());
        var model = new CharTransformerModel(config);
        model.LoadStateDict(f.GetProperty("parameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ReadTensor()));
        return model;
    }

    [Fact]
    public void Parameter_names_and_shapes_are_pytorchs_in_pytorchs_order()
    {
        foreach (var name in ModelNames())
        {
            var f = Fixtures.Load("attention", name);
            var model = FromFixture(f);
            var torch = f.GetProperty("parameters").EnumerateObject().Select(p => (p.Name, p.Value.ReadTensor().ShapeArray)).ToList();
            var mine = model.NamedParameters().Select(p => (p.Name, p.Parameter.ShapeArray)).ToList();
            Assert.Equal(torch.Select(p => p.Name), mine.Select(p => p.Name));
            Assert.Equal(torch.Select(p => p.ShapeArray), mine.Select(p => p.ShapeArray));
            Assert.Equal(mine.Select(p => p.Name), model.Config.ParameterShapes().Select(p => p.Name));
            Assert.Equal(model.ParameterCount, model.Config.ParameterCount());
        }
        Assert.Equal(2, ModelNames().Count());
    }

    [Theory]
    [MemberData(nameof(ModelCases))]
    public void Model_matches_pytorch_in_logits_loss_attention_and_every_gradient(string name)
    {
        var f = Fixtures.Load("attention", name);
        var model = FromFixture(f);
        int b = f.GetProperty("batch").GetInt32(), t = f.GetProperty("seq_len").GetInt32(), v = model.VocabularySize;
        var tokens = f.GetProperty("tokens").ReadInts();
        var targets = f.GetProperty("targets").ReadInts();

        var logits = model.Forward(tokens, b, t);
        Assert.Equal([b, t, v], logits.ShapeArray);
        GradCheck.AssertClose(f.GetProperty("logits").ReadTensor().Data, logits.Data, what: $"{name} logits");
        var loss = model.Loss(tokens, targets, b, t);
        double expectedLoss = f.GetProperty("loss").GetDouble();
        Assert.Equal(expectedLoss, loss.Item(), 1e-5 * expectedLoss);
        Assert.Equal(loss.Item(), Ops.CrossEntropy(logits, targets).Item(), 1e-6f);

        model.ZeroGrad();
        loss.Backward();
        var grads = f.GetProperty("grads");
        foreach (var (pname, p) in model.NamedParameters())
            GradCheck.AssertClose(grads.GetProperty(pname).ReadTensor().Data, p.Grad!.Data, what: $"{name} grad {pname}");

        // The weights PyTorch's MultiheadAttention returns (need_weights, not averaged), for the first sequence.
        var attention = f.GetProperty("attention").EnumerateArray().Select(e => e.ReadTensor()).ToArray();
        var mine = model.AttentionWeights(tokens.AsSpan(0, t));
        Assert.Equal(model.Config.NumLayers, mine.Length);
        for (int l = 0; l < mine.Length; l++)
        {
            Assert.Equal([model.Config.NumHeads, t, t], mine[l].ShapeArray);
            GradCheck.AssertClose(Ops.Select(attention[l], 0, 0).Data, mine[l].Data, what: $"{name} attention of block {l}");
        }
    }

    private static CharTransformerModel Small(int block = 8) => new(new CharTransformerConfig(13, block, 16, 2, 2), seed: 5);

    [Fact]
    public void A_position_never_depends_on_the_tokens_after_it()
    {
        var model = Small();
        int[] tokens = [1, 5, 2, 7, 3, 3, 0, 9];
        var before = model.Forward(tokens, 1, 8).ToArray();
        for (int t = 0; t < 8; t++)
        {
            var changed = (int[])tokens.Clone();
            for (int u = t; u < 8; u++) changed[u] = (changed[u] + 4) % 13;
            var after = model.Forward(changed, 1, 8).ToArray();
            // Every position before t is bit for bit the same; position t itself changes, so the test can see a leak.
            Assert.Equal(before.AsSpan(0, t * 13).ToArray(), after.AsSpan(0, t * 13).ToArray());
            Assert.NotEqual(before.AsSpan(t * 13, 13).ToArray(), after.AsSpan(t * 13, 13).ToArray());
        }
    }

    [Fact]
    public void No_gradient_flows_from_a_position_to_the_tokens_after_it()
    {
        var model = Small();
        int[] tokens = [4, 4, 1, 0, 12, 6];
        var embedded = model.Embedding.Forward(tokens, 1, 6).Detach().RequireGrad();
        var x = embedded + Ops.Slice(model.PositionEmbedding.Weight, 0, 0, 6);
        foreach (var block in model.Layers) x = block.Forward(x);
        Ops.Sum(Ops.Slice(x, 1, 2, 1)).Backward();   // the output at position 2 only
        var g = embedded.Grad!;
        for (int t = 0; t < 6; t++)
        {
            double norm = 0;
            for (int i = 0; i < 16; i++) norm += Math.Abs(g[0, t, i]);
            if (t <= 2) Assert.True(norm > 0, $"position {t} should reach position 2");
            else Assert.Equal(0, norm);
        }
    }

    [Fact]
    public void Initial_loss_is_close_to_ln_of_the_vocabulary()
    {
        var model = new CharTransformerModel(new CharTransformerConfig(65, 32, 64, 4, 2), seed: 1);
        var gen = new Generator(2);
        var tokens = Enumerable.Range(0, 4 * 32).Select(_ => gen.NextInt(65)).ToArray();
        var targets = Enumerable.Range(0, 4 * 32).Select(_ => gen.NextInt(65)).ToArray();
        Assert.Equal(Math.Log(65), model.Loss(tokens, targets, 4, 32).Item(), 0.05);
    }

    [Fact]
    public void Attention_rows_are_distributions_over_the_past()
    {
        var model = Small();
        var maps = model.AttentionWeights([3, 1, 4, 1, 5, 9, 2]);
        foreach (var map in maps)
            for (int h = 0; h < 2; h++)
                for (int i = 0; i < 7; i++)
                {
                    double sum = 0;
                    for (int j = 0; j < 7; j++) { if (j > i) Assert.Equal(0f, map[h, i, j]); sum += map[h, i, j]; }
                    Assert.Equal(1, sum, 1e-5);
                }
        Assert.All(maps, m => Assert.False(m.RequiresGrad, "reading attention weights must not record a graph"));
        // One head as heatmap rows: the same numbers.
        var rows = model.AttentionMap([3, 1, 4, 1, 5, 9, 2], layer: 1, head: 1);
        Assert.Equal(7, rows.Length);
        for (int i = 0; i < 7; i++)
            for (int j = 0; j < 7; j++) Assert.Equal(maps[1][1, i, j], rows[i][j]);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.AttentionMap([1, 2], layer: 2, head: 0));
    }

    [Fact]
    public void Step_model_gives_the_logits_of_a_full_forward_and_crops_the_context_to_the_block()
    {
        var model = Small(block: 6);
        var steps = model.CreateStepModel();
        var state = steps.CreateState();
        var logits = new float[13];
        int[] text = [2, 4, 6, 8, 10, 12, 1, 3, 5, 7];
        for (int i = 0; i < text.Length; i++)
        {
            steps.Feed(state, text.AsSpan(i, 1), logits);
            int start = Math.Max(0, i + 1 - 6), len = i + 1 - start;
            var full = model.Forward(text.AsSpan(start, len), 1, len).ToArray().AsSpan((len - 1) * 13, 13).ToArray();
            Assert.Equal(full, logits);
        }
        // Feeding the whole text at once ends in the same logits.
        var again = new float[13];
        steps.Feed(steps.CreateState(), text, again);
        Assert.Equal(logits, again);
    }

    [Fact]
    public void Generation_samples_through_the_same_samplers_and_beam_search()
    {
        var model = Small();
        var steps = model.CreateStepModel();
        var sampled = TextGenerator.GenerateIds(steps, [1, 2], 20, new SamplingOptions { Temperature = 0.8f, Seed = 3 }).ToList();
        Assert.Equal(20, sampled.Count);
        Assert.Equal(sampled, TextGenerator.GenerateIds(steps, [1, 2], 20, new SamplingOptions { Temperature = 0.8f, Seed = 3 }));
        var beams = BeamSearch.Run(steps, [1, 2], 12, beamWidth: 3);
        Assert.Equal(12, beams[0].Tokens.Length);
    }

    [Fact]
    public void Contexts_longer_than_the_block_and_bad_sizes_are_refused_clearly()
    {
        var model = Small(block: 4);
        var e = Assert.Throws<ArgumentException>(() => model.Forward(new int[10], 2, 5));
        Assert.Contains("longer than the block size 4", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CharTransformerModel(new CharTransformerConfig(10, 8, 10, 3, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Forward([13, 0], 1, 2));
    }
}
