// The model's shortcut for embedding inputs (a lookup in E W_ih^T) against the plain path.
using TextGen.Nn;
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests.Nn;

public class ProjectedEmbeddingTests
{
    [Theory]
    [InlineData(RecurrentArch.Lstm, 2)]
    [InlineData(RecurrentArch.Gru, 1)]
    [InlineData(RecurrentArch.RnnRelu, 2)]
    public void Lookup_in_the_projected_table_gives_the_same_loss_and_gradients(RecurrentArch arch, int layers)
    {
        int v = 6, b = 4, t = 10; // batch*seqLen = 40 > 2V, so Loss takes the table path
        var model = new CharRnnModel(new CharRnnConfig(v, arch, 5, 7, layers), seed: 8);
        var g = new Generator(3);
        var tokens = Enumerable.Range(0, b * t).Select(_ => g.NextInt(v)).ToArray();
        var targets = Enumerable.Range(0, b * t).Select(_ => g.NextInt(v)).ToArray();

        var (fast, _) = model.Loss(tokens, targets, b, t);
        fast.Backward();
        var fastGrads = model.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Grad!.ToArray());
        model.ZeroGrad();

        var (y, _) = model.Rnn.Forward(model.Input.Forward(tokens, b, t));
        var plain = Ops.CrossEntropy(model.Decoder.Forward(y), targets);
        plain.Backward();

        Assert.Equal(plain.Item(), fast.Item(), 1e-6f);
        foreach (var (name, p) in model.NamedParameters())
            GradCheck.AssertClose(p.Grad!.Data, fastGrads[name], rel: 1e-5, abs: 1e-6, what: name);
    }

    [Fact]
    public void A_frozen_table_and_frozen_first_layer_biases_still_give_the_other_gradients()
    {
        // Nothing of layer 0's input side needs a gradient, so backward makes no per-token sums at all.
        int v = 6, b = 4, t = 10;
        var model = new CharRnnModel(new CharRnnConfig(v, RecurrentArch.Lstm, 5, 7, 1), seed: 8);
        string[] frozen = ["embedding.weight", "rnn.weight_ih_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0"];
        foreach (var (name, p) in model.NamedParameters()) p.RequiresGrad = !frozen.Contains(name);
        var g = new Generator(3);
        var tokens = Enumerable.Range(0, b * t).Select(_ => g.NextInt(v)).ToArray();
        var targets = Enumerable.Range(0, b * t).Select(_ => g.NextInt(v)).ToArray();

        var (fast, _) = model.Loss(tokens, targets, b, t);
        fast.Backward();
        var fastGrads = model.NamedParameters().Where(p => p.Parameter.RequiresGrad).ToDictionary(p => p.Name, p => p.Parameter.Grad!.ToArray());
        model.ZeroGrad();

        var (y, _) = model.Rnn.Forward(model.Input.Forward(tokens, b, t));
        Ops.CrossEntropy(model.Decoder.Forward(y), targets).Backward();
        Assert.Equal(["rnn.weight_hh_l0", "decoder.weight", "decoder.bias"], fastGrads.Keys);
        foreach (var (name, grad) in fastGrads)
            GradCheck.AssertClose(model.NamedParameters().Single(p => p.Name == name).Parameter.Grad!.Data, grad, rel: 1e-5, abs: 1e-6, what: name);
    }
}
