// The CUDA engine's own logic on the fake device, through the seam: each engine's matrix products run at its own precision
// however engines interleave (in turn or on two threads), a step after a NaN or infinite gradient norm is refused, generation
// allocates no gradients or moments, and the step model's weights are the parameters in PyTorch's layout. No GPU needed.
using TextGen.Cuda;
using TextGen.Training;
using TextGen.Cuda.Interop;
using Xunit;

namespace TextGen.Tests.Cuda;

public sealed class CudaEngineFakeDeviceTests : IDisposable
{
    private readonly FakeGpu gpu = new();

    public void Dispose() => gpu.Dispose();

    private IReadOnlyList<int> ModesDuring(Action action)
    {
        int before = gpu.Api.Gemms.Count;
        action();
        return [.. gpu.Api.Gemms.Skip(before).Select(g => g.Mode)];
    }

    [Fact]
    public void Engines_of_two_precisions_taking_turns_each_multiply_at_their_own_precision()
    {
        using var strict = gpu.Engine(precision: Precision.Fp32);
        using var fast = gpu.Engine(precision: Precision.Tf32);
        var ids = GpuParity.RandomBatch(13, 4, 7, seed: 3).Tokens;

        for (int i = 0; i < 3; i++)
        {
            Assert.All(ModesDuring(() => FakeGpu.Step(strict, step: i)), m => Assert.Equal(CuBlas.DefaultMath, m));
            Assert.All(ModesDuring(() => FakeGpu.Step(fast, step: i)), m => Assert.Equal(CuBlas.Tf32TensorOpMath, m));
            Assert.All(ModesDuring(() => strict.EvaluateLoss(ids, ids, 4, 7, false)), m => Assert.Equal(CuBlas.DefaultMath, m));
        }
        Assert.Equal(3 * (3 + 3 + 1), gpu.Api.Gemms.Count);
    }

    [Fact]
    public void Engines_on_two_threads_take_the_device_in_turn_and_keep_their_own_precision()
    {
        using var strict = gpu.Engine(precision: Precision.Fp32);
        using var fast = gpu.Engine(precision: Precision.Tf32);
        var threads = new int[2];
        using var start = new Barrier(2);
        void Train(int index, CudaEngine engine)
        {
            threads[index] = Environment.CurrentManagedThreadId;
            start.SignalAndWait();
            for (int i = 0; i < 100; i++) FakeGpu.Step(engine, step: i);
        }

        var both = new[] { new Thread(() => Train(0, strict)), new Thread(() => Train(1, fast)) };
        foreach (var t in both) t.Start();
        foreach (var t in both) t.Join();

        Assert.NotEqual(threads[0], threads[1]);
        var gemms = gpu.Api.Gemms;
        Assert.Equal(2 * 100 * 3, gemms.Count);
        Assert.All(gemms.Where(g => g.Thread == threads[0]), g => Assert.Equal(CuBlas.DefaultMath, g.Mode));
        Assert.All(gemms.Where(g => g.Thread == threads[1]), g => Assert.Equal(CuBlas.Tf32TensorOpMath, g.Mode));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void A_step_after_a_non_finite_gradient_norm_is_refused_and_leaves_the_weights_alone(float squaredNorm)
    {
        using var engine = gpu.Engine();
        var (tokens, targets) = GpuParity.RandomBatch(13, 4, 7, seed: 5);
        var before = engine.ExportParameters().ToDictionary(p => p.Key, p => p.Value.Data);
        engine.ForwardBackward(new StepBatch(tokens, targets, 4, 7) { CarryState = false, Seed = 1, Step = 0 });
        gpu.Api.SquaredNorm = squaredNorm;
        int adamSteps = gpu.Api.Launches.Count(l => l == "adam_step");

        double norm = engine.ClipGradNorm(1f);
        var e = Assert.Throws<InvalidOperationException>(() => engine.OptimizerStep(0.01));

        Assert.False(double.IsFinite(norm));
        Assert.Contains("not finite", e.Message);
        Assert.Equal(adamSteps, gpu.Api.Launches.Count(l => l == "adam_step"));
        Assert.Equal(0, engine.ExportOptimizerState().StepCount);
        foreach (var (name, t) in engine.ExportParameters()) Assert.Equal(before[name], t.Data);

        gpu.Api.SquaredNorm = null;                                     // a finite norm on the next batch steps again
        FakeGpu.Step(engine, step: 1);
        Assert.Equal(1, engine.ExportOptimizerState().StepCount);
    }

    [Fact]
    public void Generating_allocates_no_gradients_or_moments_and_launches_one_cell_step_per_layer_and_token()
    {
        var config = FakeGpu.Small with { HiddenSize = 200 };
        using var engine = gpu.Engine(config);
        long parameterBytes = config.ParameterCount() * sizeof(float);

        var model = engine.CreateStepModel();
        var state = model.CreateState();
        var logits = new float[13];
        model.Feed(state, [1, 2, 3], logits);
        model.Feed(state, [4], logits);

        Assert.False(engine.Trainer.HasOptimizerState);
        Assert.True(gpu.Device.Allocator.BytesInUse < 3 * parameterBytes, $"{gpu.Device.Allocator.BytesInUse} bytes held for {parameterBytes} of weights");
        Assert.Equal(config.NumLayers * 4, gpu.Api.Launches.Count(l => l == "rnn_cell_step"));
        Assert.Equal(2, gpu.Api.Launches.Count(l => l == "decode_logits"));
        Assert.DoesNotContain(gpu.Api.Launches, l => l is "adam_step" or "sum_of_squares" or "cross_entropy_forward_backward");
        Assert.Equal(4, state.Position);

        FakeGpu.Step(engine);                                           // training makes them on its first call
        Assert.True(engine.Trainer.HasOptimizerState);
    }

    [Fact]
    public void The_step_models_weights_are_the_engines_parameters_in_pytorchs_layout()
    {
        var config = FakeGpu.Small with { Arch = TextGen.Nn.RecurrentArch.Gru, NumLayers = 3 };
        using var engine = gpu.Engine(config, seed: 8);
        var expected = TextGen.Nn.CharRnnModel.InitialParameters(config, seed: 8);

        var weights = Assert.IsType<CudaStepModel>(engine.CreateStepModel()).ExportWeights();
        var exported = engine.ExportParameters();

        foreach (var (name, values) in expected)
        {
            Assert.Equal(values, weights[name]);
            Assert.Equal(values, exported.Single(p => p.Key == name).Value.Data);
        }
        Assert.Equal(config.ParameterShapes().Select(p => p.Name), exported.Select(p => p.Key));
    }

    [Fact]
    public void Feeding_checks_the_state_the_tokens_and_the_logits_buffer_before_touching_the_device()
    {
        using var engine = gpu.Engine();
        var model = engine.CreateStepModel();
        var state = model.CreateState();
        int launches = gpu.Api.Launches.Count;

        Assert.Throws<ArgumentException>(() => model.Feed(state, [], new float[13]));
        Assert.Throws<ArgumentException>(() => model.Feed(state, [1], new float[12]));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Feed(state, [13], new float[13]));
        Assert.Throws<ArgumentException>(() => model.Feed(new TextGen.Nn.StepState(new float[3], []), [1], new float[13]));
        Assert.Equal(launches, gpu.Api.Launches.Count);
    }
}
