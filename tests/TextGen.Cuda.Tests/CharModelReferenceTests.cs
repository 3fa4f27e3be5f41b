// The float64 reference that judges the GPU trainer must itself be right: its gradients against central finite differences.
using TextGen.Cuda;
using Xunit;
using TextGen.Nn;

namespace TextGen.Tests.Cuda;

public class CharModelReferenceTests
{
    [Theory]
    [InlineData(RecurrentArch.Lstm, "lstm")]
    [InlineData(RecurrentArch.Gru, "gru")]
    [InlineData(RecurrentArch.Rnn, "rnn_tanh")]
    [InlineData(RecurrentArch.RnnRelu, "rnn_relu")]
    public void Reference_gradients_match_finite_differences(RecurrentArch arch, string name)
    {
        var config = new CharRnnConfig(Arch: arch, VocabularySize: 5, EmbeddingDim: 3, HiddenSize: 4, NumLayers: 2);
        var p = CharRnnModel.InitialParameters(config, seed: 21).ToDictionary(kv => kv.Key, kv => kv.Value.Select(v => (double)v).ToArray());
        var (tokens, targets) = GpuParity.RandomBatch(config.VocabularySize, batch: 2, seqLen: 3, seed: 8);
        var (_, grads) = CharModelReference.LossAndGradients(name, config.NumLayers, p, tokens, targets, 2, 3);

        var probe = new TextGen.Tensors.Generator(3);
        foreach (var key in p.Keys)
        {
            for (int trial = 0; trial < 3; trial++)
            {
                int i = probe.NextInt(p[key].Length);
                if (key == "embedding.weight") i = tokens[trial] * config.EmbeddingDim + trial % config.EmbeddingDim;   // a row that is used
                double saved = p[key][i], h = 1e-6;
                p[key][i] = saved + h;
                double up = CharModelReference.LossAndGradients(name, config.NumLayers, p, tokens, targets, 2, 3).Loss;
                p[key][i] = saved - h;
                double down = CharModelReference.LossAndGradients(name, config.NumLayers, p, tokens, targets, 2, 3).Loss;
                p[key][i] = saved;
                double numeric = (up - down) / (2 * h);
                Assert.True(Math.Abs(numeric - grads[key][i]) <= 1e-6 + 1e-5 * Math.Abs(numeric),
                    $"{key}[{i}]: analytic {grads[key][i]:E6}, numeric {numeric:E6}");
            }
        }
    }

    [Fact]
    public void Reference_loss_of_zero_decoder_is_ln_vocab()
    {
        var config = new CharRnnConfig(Arch: RecurrentArch.Gru, VocabularySize: 13, EmbeddingDim: 3, HiddenSize: 4);
        var p = CharRnnModel.InitialParameters(config, seed: 2);
        Array.Clear(p["decoder.weight"]);
        Array.Clear(p["decoder.bias"]);
        var (tokens, targets) = GpuParity.RandomBatch(config.VocabularySize, 2, 5, seed: 1);

        var (loss, _) = CharModelReference.LossAndGradients("gru", 1, p, tokens, targets, 2, 5);

        Assert.Equal(Math.Log(13), loss, 12);
    }
}
