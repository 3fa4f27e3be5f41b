// Parity of Sgd, Adam and AdamW with torch.optim over six steps of explicit gradients,
// parameter by parameter after every step (fixtures from tests/reference/make_optim_fixtures.py).
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests.Optim;

public class OptimizerParityTests
{
    [Theory]
    [InlineData("sgd_plain.json")]
    [InlineData("sgd_momentum.json")]
    [InlineData("sgd_nesterov_weight_decay.json")]
    [InlineData("sgd_momentum_dampening.json")]
    [InlineData("adam_default.json")]
    [InlineData("adam_weight_decay.json")]
    [InlineData("adamw_default.json")]
    [InlineData("adamw_lr_wd.json")]
    [InlineData("adam_skipped_grad.json")]
    public void Optimizer_matches_pytorch_after_every_one_of_six_steps(string file)
    {
        var fixture = OptimFixture.Load(file);
        var parameters = OptimFixture.ReadTensors(fixture.GetProperty("initial")).Select(t => t!).ToArray();
        var optimizer = OptimFixture.Build(fixture, parameters);

        int k = 0;
        foreach (var step in fixture.GetProperty("steps").EnumerateArray())
        {
            var grads = OptimFixture.ReadTensors(step.GetProperty("grads"));
            for (int i = 0; i < parameters.Length; i++) parameters[i].Grad = grads[i];
            optimizer.Step();
            var expected = OptimFixture.ReadTensors(step.GetProperty("params"));
            for (int i = 0; i < parameters.Length; i++)
                OptimFixture.AssertClose(expected[i]!, parameters[i], $"{file} step {k + 1} param {i}");
            k++;
        }
        Assert.Equal(6, k);
        Assert.Equal(6, optimizer.StepCount);
    }

    [Fact]
    public void Step_leaves_a_parameter_without_gradient_untouched()
    {
        var fixture = OptimFixture.Load("adam_skipped_grad.json");
        var parameters = OptimFixture.ReadTensors(fixture.GetProperty("initial")).Select(t => t!).ToArray();
        var optimizer = OptimFixture.Build(fixture, parameters);
        var before = parameters[1].ToArray();
        parameters[0].Grad = Tensor.Ones(parameters[0].ShapeArray);

        optimizer.Step();

        Assert.Equal(before, parameters[1].Data);
        Assert.DoesNotContain("exp_avg.1", optimizer.GetState().Buffers.Keys);
    }

    [Theory]
    [InlineData("SGD")]
    [InlineData("Adam")]
    [InlineData("AdamW")]
    public void Step_allocates_nothing_after_the_first_step(string kind)
    {
        Tensor[] parameters = [Tensor.Uniform(new Generator(3), -1f, 1f, 64, 33), Tensor.Uniform(new Generator(4), -1f, 1f, 7)];
        foreach (var p in parameters) p.Grad = Tensor.Full(0.01f, p.ShapeArray);
        TextGen.Optim.Optimizer optimizer = kind switch
        {
            "SGD" => new TextGen.Optim.Sgd(parameters, 0.1, momentum: 0.9, nesterov: true),
            "Adam" => new TextGen.Optim.Adam(parameters, weightDecay: 0.1),
            _ => new TextGen.Optim.Adam(parameters, weightDecay: 1e-2, decoupledWeightDecay: true),
        };
        optimizer.Step();
        optimizer.Step();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) optimizer.Step();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }
}
