// The model description: PyTorch's parameter names, shapes and counts, and clear errors for wrong input.
using TextGen.Cuda;
using Xunit;

namespace TextGen.Tests.Cuda;

public class CharModelConfigTests
{
    [Theory]
    [InlineData("S", 350_593)]
    [InlineData("M", 3_457_729)]
    [InlineData("L", 22_127_937)]
    public void Lstm_parameter_counts_match_the_benchmark_table(string name, long expected)
    {
        Assert.Equal(expected, CharModelConfig.For(TextGen.Training.BenchmarkConfig.Get(name), RnnArch.Lstm).ParameterCount());
    }

    [Fact]
    public void Gru_parameters_have_pytorch_names_and_shapes_in_named_parameters_order()
    {
        var shapes = new CharModelConfig(RnnArch.Gru, Vocab: 10, EmbeddingDim: 4, Hidden: 6, Layers: 2).ParameterShapes().ToList();

        Assert.Equal(["embedding.weight", "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0",
            "rnn.weight_ih_l1", "rnn.weight_hh_l1", "rnn.bias_ih_l1", "rnn.bias_hh_l1", "decoder.weight", "decoder.bias"], shapes.Select(s => s.Name));
        Assert.Equal([18, 4], shapes[1].Shape);
        Assert.Equal([18, 6], shapes[5].Shape);
        Assert.Equal([10, 6], shapes[9].Shape);
    }

    [Theory]
    [InlineData("rnn", RnnArch.RnnTanh)]
    [InlineData("RNN_RELU", RnnArch.RnnRelu)]
    [InlineData(" gru ", RnnArch.Gru)]
    public void Architecture_names_parse_as_the_cli_spells_them(string text, RnnArch expected) =>
        Assert.Equal(expected, CharModelConfig.ParseArch(text));

    [Fact]
    public void A_parameter_of_the_wrong_size_is_named_with_its_expected_shape()
    {
        var config = new CharModelConfig(RnnArch.Lstm, Vocab: 5, EmbeddingDim: 2, Hidden: 3);
        var parameters = config.InitialParameters(seed: 3);
        parameters["rnn.weight_hh_l0"] = new float[7];

        var e = Assert.Throws<ArgumentException>(() => config.ValidateParameters(parameters));
        Assert.Equal("parameter 'rnn.weight_hh_l0' has 7 values but shape [12, 3] needs 36", e.Message);
    }

    [Fact]
    public void Initial_recurrent_weights_lie_in_pytorch_bound_and_embedding_is_unit_normal()
    {
        var config = new CharModelConfig(RnnArch.Lstm, Vocab: 50, EmbeddingDim: 40, Hidden: 16);
        var p = config.InitialParameters(seed: 9);

        Assert.All(p["rnn.weight_hh_l0"], w => Assert.InRange(w, -0.25f, 0.25f));
        var e = p["embedding.weight"];
        double mean = e.Average(), variance = e.Average(x => (x - mean) * (x - mean));
        Assert.InRange(variance, 0.85, 1.15);   // 2000 draws: standard error of the variance is about 0.03
    }

    [Fact]
    public void Bf16_is_refused_with_the_precisions_that_work()
    {
        var e = Assert.Throws<NotSupportedException>(() => PrecisionNames.EnsureSupported(Precision.Bf16));
        Assert.Contains("use tf32 (fast) or fp32 (strict)", e.Message);
    }
}
