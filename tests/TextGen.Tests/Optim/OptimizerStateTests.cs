// Optimizer state export/import: a run split in two by GetState/LoadState must equal one straight run bit for bit,
// and state from another optimizer, another model or other settings must be refused with a clear message.
using TextGen.Optim;
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests.Optim;

public class OptimizerStateTests
{
    private static Tensor[] MakeParameters() =>
        [Tensor.Uniform(new Generator(1337), -1f, 1f, 3, 4), Tensor.Uniform(new Generator(7), -1f, 1f, 5)];

    // Gradients that depend on the step and on the current values, so a wrong resumed state shows up.
    private static void SetGrads(Tensor[] parameters, int step)
    {
        foreach (var p in parameters)
        {
            var g = new float[p.Numel];
            for (int i = 0; i < g.Length; i++) g[i] = MathF.Sin(0.7f * i + step) + 0.3f * p.Data[i];
            p.Grad = new Tensor(g, p.ShapeArray);
        }
    }

    public static TheoryData<string> Kinds => ["SGD", "Adam", "AdamW"];

    private static Optimizer Make(string kind, Tensor[] parameters) => kind switch
    {
        "SGD" => new Sgd(parameters, lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01),
        "Adam" => new Adam(parameters, lr: 0.01, weightDecay: 0.1),
        _ => new Adam(parameters, lr: 0.01, weightDecay: 1e-2, decoupledWeightDecay: true),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Three_steps_saved_and_loaded_then_three_more_equal_six_straight_steps_bit_for_bit(string kind)
    {
        var straight = MakeParameters();
        var a = Make(kind, straight);
        for (int s = 0; s < 6; s++) { SetGrads(straight, s); a.Step(); }

        var first = MakeParameters();
        var b = Make(kind, first);
        for (int s = 0; s < 3; s++) { SetGrads(first, s); b.Step(); }
        var saved = b.GetState();
        var resumed = first.Select(p => p.Clone()).ToArray();
        var c = Make(kind, resumed);
        c.LoadState(saved);
        for (int s = 3; s < 6; s++) { SetGrads(resumed, s); c.Step(); }

        Assert.Equal(3, saved.StepCount);
        Assert.Equal(6, c.StepCount);
        for (int i = 0; i < straight.Length; i++) Assert.Equal(straight[i].Data, resumed[i].Data);
    }

    [Fact]
    public void GetState_names_buffers_as_pytorch_and_copies_them()
    {
        var parameters = MakeParameters();
        var adam = new Adam(parameters);
        SetGrads(parameters, 0);
        adam.Step();

        var state = adam.GetState();
        Assert.Equal(["exp_avg.0", "exp_avg.1", "exp_avg_sq.0", "exp_avg_sq.1", "step.0", "step.1"], state.Buffers.Keys.Order());
        Assert.Equal([1f], state.Buffers["step.1"]);
        Assert.Equal(12, state.Buffers["exp_avg.0"].Length);
        // After one step m = (1 - beta1) * g exactly as the kernel computes it.
        Assert.Equal(0.1f * parameters[1].Grad!.Data[2], state.Buffers["exp_avg.1"][2], 1e-7f);

        state.Buffers["exp_avg.0"][0] = 1234f;
        Assert.NotEqual(1234f, adam.GetState().Buffers["exp_avg.0"][0]);
    }

    [Fact]
    public void LoadState_refuses_state_of_another_optimizer_kind()
    {
        var saved = new Sgd(MakeParameters(), lr: 0.1).GetState();
        var e = Assert.Throws<ArgumentException>(() => new Adam(MakeParameters()).LoadState(saved));
        Assert.Contains("saved by SGD", e.Message);
    }

    [Fact]
    public void Decoupled_and_l2_Adam_save_under_their_own_kinds_and_refuse_each_others_state()
    {
        var decoupled = new Adam(MakeParameters(), weightDecay: 0.01, decoupledWeightDecay: true);
        var l2 = new Adam(MakeParameters(), weightDecay: 0.01);
        Assert.Equal("AdamW", decoupled.GetState().Kind);
        Assert.Equal("Adam", l2.GetState().Kind);
        Assert.Contains("saved by AdamW", Assert.Throws<ArgumentException>(() => l2.LoadState(decoupled.GetState())).Message);
        Assert.Contains("saved by Adam", Assert.Throws<ArgumentException>(() => decoupled.LoadState(l2.GetState())).Message);
    }

    [Fact]
    public void LoadState_refuses_buffers_whose_size_does_not_match_the_parameter()
    {
        var parameters = MakeParameters();
        var adam = new Adam(parameters);
        SetGrads(parameters, 0);
        adam.Step();
        var saved = adam.GetState();
        var other = new Adam([Tensor.Zeros(4, 4), Tensor.Zeros(5)]);

        var e = Assert.Throws<ArgumentException>(() => other.LoadState(saved));
        Assert.Contains("'exp_avg.0' has 12 values but parameter 0 (shape (4, 4)) needs 16", e.Message);
    }

    [Fact]
    public void LoadState_refuses_unknown_buffers_and_out_of_range_parameters()
    {
        var adam = new Adam(MakeParameters());
        var good = adam.GetState();
        var unknown = good with { Buffers = new Dictionary<string, float[]> { ["momentum_buffer.0"] = new float[12] } };
        Assert.Contains("unknown buffer 'momentum_buffer.0'", Assert.Throws<ArgumentException>(() => adam.LoadState(unknown)).Message);
        var beyond = good with { Buffers = new Dictionary<string, float[]> { ["step.2"] = new float[1] } };
        Assert.Contains("has 2 parameters", Assert.Throws<ArgumentException>(() => adam.LoadState(beyond)).Message);
    }

    [Fact]
    public void LoadState_refuses_other_hyperparameters_but_restores_the_learning_rate()
    {
        var saved = new Adam(MakeParameters(), lr: 0.02, beta2: 0.99).GetState();
        var e = Assert.Throws<ArgumentException>(() => new Adam(MakeParameters()).LoadState(saved));
        Assert.Contains("beta2=0.99 but this optimizer has beta2=0.999", e.Message);

        var same = new Adam(MakeParameters(), lr: 0.5, beta2: 0.99);
        same.LoadState(saved);
        Assert.Equal(0.02, same.LearningRate);
    }
}
