// The model description: PyTorch's parameter names, shapes and counts, and clear errors for wrong input.
using TextGen.Cuda;
using Xunit;
using TextGen.Nn;

namespace TextGen.Tests.Cuda;

public class CharModelConfigTests
{
    [Theory]
    [InlineData("S", 350_593)]
    [InlineData("M", 3_457_729)]
    [InlineData("L", 22_127_937)]
    public void Lstm_parameter_counts_match_the_benchmark_table(string name, long expected)
    {
        Assert.Equal(expected, CharModelConfig.For(TextGen.Training.BenchmarkConfig.Get(name), RecurrentArch.Lstm).ParameterCount());
    }

    [Fact]
    public void Gru_parameters_have_pytorch_names_and_shapes_in_named_parameters_order()
    {
        var shapes = new CharModelConfig(RecurrentArch.Gru, Vocab: 10, EmbeddingDim: 4, Hidden: 6, Layers: 2).ParameterShapes().ToList();

        Assert.Equal(["embedding.weight", "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0",
            "rnn.weight_ih_l1", "rnn.weight_hh_l1", "rnn.bias_ih_l1", "rnn.bias_hh_l1", "decoder.weight", "decoder.bias"], shapes.Select(s => s.Name));
        Assert.Equal([18, 4], shapes[1].Shape);
        Assert.Equal([18, 6], shapes[5].Shape);
        Assert.Equal([10, 6], shapes[9].Shape);
    }

    [Fact]
    public void The_gpu_description_names_the_same_parameters_as_the_cpu_model_and_converts_back()
    {
        var cpu = new CharRnnConfig(VocabularySize: 12, Arch: RecurrentArch.Gru, EmbeddingDim: 5, HiddenSize: 7, NumLayers: 2, Dropout: 0.1f);
        var gpu = CharModelConfig.From(cpu);
        Assert.Equal(cpu, gpu.ToCharRnnConfig());
        var model = new CharRnnModel(cpu);
        var expected = model.StateDict().ToDictionary(p => p.Key, p => p.Value.ShapeArray);
        var shapes = gpu.ParameterShapes().ToDictionary(p => p.Name, p => p.Shape);
        Assert.Equal(expected.Keys.Order(), shapes.Keys.Order());
        foreach (var (name, shape) in shapes) Assert.Equal(expected[name], shape);
        Assert.Equal(ParameterBudget.Count(cpu), gpu.ParameterCount());
    }

    [Fact]
    public void One_hot_models_are_refused_by_the_gpu_path_with_the_way_out()
    {
        var e = Assert.Throws<ArgumentException>(() => CharModelConfig.From(new CharRnnConfig(VocabularySize: 12, EmbeddingDim: 0)));
        Assert.Contains("--embedding-dim", e.Message);
        Assert.Contains("--device cpu", e.Message);
    }

    [Fact]
    public void A_parameter_of_the_wrong_size_is_named_with_its_expected_shape()
    {
        var config = new CharModelConfig(RecurrentArch.Lstm, Vocab: 5, EmbeddingDim: 2, Hidden: 3);
        var parameters = config.InitialParameters(seed: 3);
        parameters["rnn.weight_hh_l0"] = new float[7];

        var e = Assert.Throws<ArgumentException>(() => config.ValidateParameters(parameters));
        Assert.Equal("parameter 'rnn.weight_hh_l0' has 7 values but shape [12, 3] needs 36", e.Message);
    }

    [Fact]
    public void Initial_recurrent_weights_lie_in_pytorch_bound_and_embedding_is_unit_normal()
    {
        var config = new CharModelConfig(RecurrentArch.Lstm, Vocab: 50, EmbeddingDim: 40, Hidden: 16);
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
