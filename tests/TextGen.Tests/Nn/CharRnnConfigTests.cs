// The one model description: PyTorch's parameter names, shapes and counts, the gate counts, the shared
// initialisation, and clear errors for parameters of the wrong size.
using TextGen.Benchmarks;
using Xunit;
using TextGen.Nn;
using TextGen.Training;

namespace TextGen.Tests.Nn;

public class CharRnnConfigTests
{
    [Theory]
    [InlineData("S", 350_593)]
    [InlineData("M", 3_457_729)]
    [InlineData("L", 22_127_937)]
    public void Lstm_parameter_counts_match_the_benchmark_table(string name, long expected)
    {
        Assert.Equal(expected, BenchmarkConfig.Get(name).Model(RecurrentArch.Lstm).ParameterCount());
    }

    [Theory]
    [InlineData(RecurrentArch.Rnn, 1)]
    [InlineData(RecurrentArch.RnnRelu, 1)]
    [InlineData(RecurrentArch.Lstm, 4)]
    [InlineData(RecurrentArch.Gru, 3)]
    public void Each_cell_knows_its_gate_count(RecurrentArch arch, int gates)
    {
        Assert.Equal(gates, CharRnnConfig.GatesOf(arch));
        Assert.Equal(gates, new CharRnnConfig(10, arch).Gates);
    }

    [Fact]
    public void Gru_parameters_have_pytorch_names_and_shapes_in_named_parameters_order()
    {
        var shapes = new CharRnnConfig(VocabularySize: 10, Arch: RecurrentArch.Gru, EmbeddingDim: 4, HiddenSize: 6, NumLayers: 2).ParameterShapes().ToList();

        Assert.Equal(["embedding.weight", "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0",
            "rnn.weight_ih_l1", "rnn.weight_hh_l1", "rnn.bias_ih_l1", "rnn.bias_hh_l1", "decoder.weight", "decoder.bias"], shapes.Select(s => s.Name));
        Assert.Equal([18, 4], shapes[1].Shape);
        Assert.Equal([18, 6], shapes[5].Shape);
        Assert.Equal([10, 6], shapes[9].Shape);
    }

    [Theory]
    [InlineData(RecurrentArch.Gru, 5)]
    [InlineData(RecurrentArch.Lstm, 0)]
    [InlineData(RecurrentArch.RnnRelu, 3)]
    public void The_shapes_are_those_of_the_model_it_builds_embedding_or_one_hot(RecurrentArch arch, int embeddingDim)
    {
        var config = new CharRnnConfig(VocabularySize: 12, Arch: arch, EmbeddingDim: embeddingDim, HiddenSize: 7, NumLayers: 2, Dropout: 0.1f);
        var model = new CharRnnModel(config);

        Assert.Equal(model.NamedParameters().Select(p => p.Name), config.ParameterShapes().Select(p => p.Name));
        foreach (var (name, shape) in config.ParameterShapes()) Assert.Equal(model.StateDict()[name].ShapeArray, shape);
        Assert.Equal(model.ParameterCount, config.ParameterCount());
        Assert.Equal(config.ParameterCount(), ParameterBudget.Count(config));
    }

    [Fact]
    public void A_parameter_of_the_wrong_size_is_named_with_its_expected_shape()
    {
        var config = new CharRnnConfig(VocabularySize: 5, Arch: RecurrentArch.Lstm, EmbeddingDim: 2, HiddenSize: 3);
        var parameters = CharRnnModel.InitialParameters(config, seed: 3);
        parameters["rnn.weight_hh_l0"] = new float[7];

        var e = Assert.Throws<ArgumentException>(() => config.ValidateParameters(parameters));
        Assert.Equal("parameter 'rnn.weight_hh_l0' has 7 values but shape [12, 3] needs 36", e.Message);
    }

    [Fact]
    public void Initial_parameters_are_the_cpu_models_weights_in_pytorchs_bounds()
    {
        var config = new CharRnnConfig(VocabularySize: 50, Arch: RecurrentArch.Lstm, EmbeddingDim: 40, HiddenSize: 16);
        var p = CharRnnModel.InitialParameters(config, seed: 9);

        Assert.Equal(new CharRnnModel(config, seed: 9).StateDict()["rnn.weight_hh_l0"].Data, p["rnn.weight_hh_l0"]);
        Assert.All(p["rnn.weight_hh_l0"], w => Assert.InRange(w, -0.25f, 0.25f));
        var e = p["embedding.weight"];
        double mean = e.Average(), variance = e.Average(x => (x - mean) * (x - mean));
        Assert.InRange(variance, 0.85, 1.15);   // 2000 draws: standard error of the variance is about 0.03
    }

    [Fact]
    public void Training_flops_per_token_count_three_products_per_weight_matrix()
    {
        // M-cpu's LSTM by hand: layer 0 reads the 128-wide embedding, layer 1 the 512-wide hidden state, each with 4 gates of
        // 512 and a 512-wide recurrence; the decoder maps 512 to 65. Forward 2 flops per multiply-add, backward twice that.
        double forward = 2.0 * 4 * 512 * (128 + 512) + 2.0 * 4 * 512 * (512 + 512) + 2.0 * 512 * 65;
        Assert.Equal(3 * forward, BenchmarkConfig.TrainingFlopsPerToken(BenchmarkConfig.Get("M-cpu").Model(RecurrentArch.Lstm)));
        Assert.InRange(3 * forward / 1e6, 20.6, 20.7);   // the 20.7 MFLOP per token the CPU-speed issue quotes
        // A GRU has 3 gate blocks, an RNN 1: S's 64-wide embedding into 256 units, one layer.
        Assert.Equal(3 * (2.0 * 3 * 256 * (64 + 256) + 2.0 * 256 * 65), BenchmarkConfig.TrainingFlopsPerToken(BenchmarkConfig.Get("S").Model(RecurrentArch.Gru)));
        Assert.Equal(3 * (2.0 * 256 * (64 + 256) + 2.0 * 256 * 65), BenchmarkConfig.TrainingFlopsPerToken(BenchmarkConfig.Get("S").Model(RecurrentArch.Rnn)));
    }
}
