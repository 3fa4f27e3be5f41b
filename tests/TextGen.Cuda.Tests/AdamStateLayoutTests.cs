// The CUDA engine's Adam state in TextGen's OptimizerState layout, against TextGen's own Adam on the CPU: the same
// buffers land under the same parameter names both ways, and what one step count cannot hold is refused. No GPU needed.
using TextGen.Cuda;
using TextGen.Nn;
using TextGen.Optim;
using Xunit;

namespace TextGen.Tests.Cuda;

public class AdamStateLayoutTests
{
    private static readonly CharRnnConfig Config = new(VocabularySize: 9, Arch: RecurrentArch.Gru, EmbeddingDim: 4, HiddenSize: 5, NumLayers: 2);

    private static IReadOnlyDictionary<string, double> Hyper(double weightDecay = 0) =>
        new Dictionary<string, double> { ["beta1"] = 0.9, ["beta2"] = 0.999, ["eps"] = 1e-8, ["weight_decay"] = weightDecay };

    private static (CharRnnModel Model, Adam Adam) TrainedOnCpu(int steps)
    {
        var model = new CharRnnModel(Config, seed: 2);
        var adam = new Adam(model.Parameters(), 0.01);
        var (tokens, targets) = GpuParity.RandomBatch(9, 3, 5, seed: 4);
        for (int i = 0; i < steps; i++)
        {
            model.ZeroGrad();
            model.Loss(tokens, targets, 3, 5).Loss.Backward();
            adam.Step();
        }
        return (model, adam);
    }

    [Fact]
    public void The_cpu_adams_moments_are_read_under_the_names_of_their_parameters_and_written_back_alike()
    {
        var (model, adam) = TrainedOnCpu(2);
        var saved = adam.GetState();

        var (m, v, step) = AdamStateLayout.Read(saved, Config, "Adam", Hyper());

        Assert.Equal(2, step);
        var named = model.NamedParameters().ToArray();
        Assert.Equal(named.Length, m!.Count);
        for (int i = 0; i < named.Length; i++)
        {
            Assert.Equal(named[i].Parameter.Numel, m[named[i].Name].Length);
            Assert.Equal(saved.Buffers[$"exp_avg.{i}"], m[named[i].Name]);
            Assert.Equal(saved.Buffers[$"exp_avg_sq.{i}"], v![named[i].Name]);
        }
        var written = AdamStateLayout.Write(Config, "Adam", step, saved.LearningRate, Hyper(), m, v!);
        Assert.Equal(saved.Buffers.Keys.Order(), written.Buffers.Keys.Order());
        foreach (var (key, values) in saved.Buffers) Assert.Equal(values, written.Buffers[key]);
        new Adam(model.Parameters(), 0.01).LoadState(written);   // TextGen's Adam takes it as its own
    }

    [Fact]
    public void A_state_before_the_first_step_has_no_buffers_either_way()
    {
        var (_, adam) = TrainedOnCpu(0);
        var (m, v, step) = AdamStateLayout.Read(adam.GetState(), Config, "Adam", Hyper());
        Assert.Null(m);
        Assert.Null(v);
        Assert.Equal(0, step);
        Assert.Empty(AdamStateLayout.Write(Config, "Adam", 0, 0.01, Hyper(), new Dictionary<string, float[]>(), new Dictionary<string, float[]>()).Buffers);
    }

    [Fact]
    public void Another_optimizer_or_other_settings_are_refused_with_the_fix()
    {
        var model = new CharRnnModel(Config, seed: 2);
        var sgd = new Sgd(model.Parameters(), 0.1, 0.9).GetState();
        Assert.Contains("--optimizer sgd", Assert.Throws<ArgumentException>(() => AdamStateLayout.Read(sgd, Config, "Adam", Hyper())).Message);

        var (_, adam) = TrainedOnCpu(1);
        var e = Assert.Throws<ArgumentException>(() => AdamStateLayout.Read(adam.GetState(), Config, "Adam", Hyper(weightDecay: 0.01)));
        Assert.Contains("weight_decay=0 but this run has weight_decay=0.01", e.Message);
    }

    [Fact]
    public void Parameters_updated_unequally_or_unknown_buffers_are_refused()
    {
        var (_, adam) = TrainedOnCpu(2);
        var saved = adam.GetState();
        var buffers = saved.Buffers.ToDictionary(b => b.Key, b => b.Value);
        buffers["step.3"] = [1f];
        var e = Assert.Throws<ArgumentException>(() => AdamStateLayout.Read(saved with { Buffers = buffers }, Config, "Adam", Hyper()));
        Assert.Contains("one step count", e.Message);
        Assert.Contains("--device cpu", e.Message);

        buffers = saved.Buffers.ToDictionary(b => b.Key, b => b.Value);
        buffers.Remove("exp_avg.1");
        Assert.Contains("no moments or step for parameter 1", Assert.Throws<ArgumentException>(() => AdamStateLayout.Read(saved with { Buffers = buffers }, Config, "Adam", Hyper())).Message);

        buffers = saved.Buffers.ToDictionary(b => b.Key, b => b.Value);
        buffers["momentum_buffer.0"] = [0f];
        Assert.Contains("unknown optimizer buffer 'momentum_buffer.0'", Assert.Throws<ArgumentException>(() => AdamStateLayout.Read(saved with { Buffers = buffers }, Config, "Adam", Hyper())).Message);
    }
}
