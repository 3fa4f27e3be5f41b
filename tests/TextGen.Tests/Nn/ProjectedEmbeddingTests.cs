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
}
