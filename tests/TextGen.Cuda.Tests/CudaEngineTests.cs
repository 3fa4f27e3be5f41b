// The CUDA engine behind the trainer's seam: its registration and refusals (no GPU needed), and on a GPU, training, optimizer
// state, carried state, evaluation and the step model against TextGen's CPU engine from the same weights. Four of these share
// one shape (LSTM Small, 4 x 7, fp32): every engine after the first takes the autotuner's cached choice.
using TextGen.Cuda;
using TextGen.Cuda.Interop;
using TextGen.Nn;
using TextGen.Optim;
using TextGen.Tensors;
using TextGen.Text;
using TextGen.Training;
using Xunit;

namespace TextGen.Tests.Cuda;

public class CudaEngineTests
{
    private static readonly CharRnnConfig Small = new(VocabularySize: 13, Arch: RecurrentArch.Lstm, EmbeddingDim: 6, HiddenSize: 10, NumLayers: 2);

    private static TrainOptions Options(RecurrentArch arch = RecurrentArch.Lstm, bool stateful = true) => new()
    {
        Arch = arch, EmbeddingDim = 6, HiddenSize = 10, NumLayers = 2, BatchSize = 4, SeqLen = 7, Stateful = stateful,
        LearningRate = 0.01f, Schedule = ScheduleKind.Constant, Clip = 1f, Steps = 5, Minutes = null, EvalInterval = 1, Device = Device.Cuda,
    };

    private static Exception CreateFails(TrainOptions options, CharRnnConfig? config = null) =>
        Assert.ThrowsAny<Exception>(() => TrainingEngines.Create(options, new CharRnnModel(config ?? options.Model(13), seed: 3)).Dispose());

    [Fact]
    public void Sgd_on_cuda_is_refused_with_the_fix()
    {
        var e = Assert.IsType<NotSupportedException>(CreateFails(Options() with { Optimizer = OptimizerKind.Sgd }));
        Assert.Contains("--optimizer adam", e.Message);
        Assert.Contains("--device cpu", e.Message);
    }

    [Fact]
    public void A_gpu_other_than_the_first_is_refused_with_the_fix()
    {
        var e = Assert.IsType<NotSupportedException>(CreateFails(Options() with { Device = new Device(DeviceType.Cuda, 1) }));
        Assert.Contains("--device cuda:1", e.Message);
        Assert.Contains("CUDA_VISIBLE_DEVICES", e.Message);
    }

    [Fact]
    public void One_hot_input_on_cuda_is_refused_with_the_fix()
    {
        var e = Assert.IsType<ArgumentException>(CreateFails(Options() with { EmbeddingDim = 0 }));
        Assert.Contains("--embedding-dim", e.Message);
    }

    [Fact]
    public void Cuda_reaches_the_cuda_factory_which_names_what_is_missing_without_a_gpu()
    {
        if (CudaProbe.Report.IsUsable)
        {
            using var engine = TrainingEngines.Create(Options(), new CharRnnModel(Small, seed: 3));
            Assert.IsType<CudaEngine>(engine);
            Assert.Equal(Device.Cuda, engine.Device);
            return;
        }
        var e = Assert.IsType<CudaUnavailableException>(CreateFails(Options()));
        Assert.DoesNotContain("reference TextGen.Cuda", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("--device cpu", e.Message);
        Assert.Contains(CudaProbe.Report.Problems[0], e.Message);
    }

    private static int[] RandomIds(int count, int vocab, ulong seed)
    {
        var g = new Generator(seed);
        var ids = new int[count];
        for (int i = 0; i < ids.Length; i++) ids[i] = g.NextInt(vocab);
        return ids;
    }

    private static TrainingReport Train(TrainOptions o, CharRnnModel start, int[] ids)
    {
        var tokenizer = new TokenizerInfo(TokenizerKind.Char, [.. Enumerable.Range(0, 13).Select(i => ((char)('a' + i)).ToString())]);
        var trainer = TrainerFactory.Create(o, start, ids, [], tokenizer);
        try { return trainer.Run(); }
        finally { trainer.Engine.Dispose(); }
    }

    [Theory]
    [Trait("Category", "Gpu")]
    [InlineData(RecurrentArch.Lstm, true)]
    [InlineData(RecurrentArch.Gru, true)]
    [InlineData(RecurrentArch.Lstm, false)]
    public void Five_trainer_steps_on_cuda_match_the_cpu_engine_from_the_same_weights(RecurrentArch arch, bool stateful)
    {
        GpuRequirement.Device();
        var o = Options(arch, stateful);
        var config = o.Model(13);
        var ids = RandomIds(600, 13, seed: 21);

        var cpu = Train(o with { Device = Device.Cpu }, new CharRnnModel(config, seed: 7), ids);
        var gpu = Train(o, new CharRnnModel(config, seed: 7), ids);

        Assert.Equal(5, cpu.History.Count);
        Assert.Equal(5, gpu.History.Count);
        for (int i = 0; i < 5; i++)
        {
            float expected = cpu.History[i].TrainLoss, actual = gpu.History[i].TrainLoss;
            Assert.True(Math.Abs(actual - expected) <= 1e-3 * expected, $"step {i + 1}: cuda loss {actual} vs cpu {expected}");
            float n = cpu.History[i].GradNorm, m = gpu.History[i].GradNorm;
            Assert.True(Math.Abs(m - n) <= 1e-3 * n, $"step {i + 1}: cuda gradient norm {m} vs cpu {n}");
        }
    }

    private static CudaEngine NewEngine(IReadOnlyDictionary<string, Tensor> weights) => new(Small, weights, learningRate: 0.01);

    private static void Step(ITrainingEngine engine, int[] tokens, int[] targets, bool carry = false)
    {
        engine.ForwardBackward(new StepBatch(tokens, targets, 4, 7) { CarryState = carry, Seed = 1337, Step = 0 });
        engine.ClipGradNorm(1f);
        engine.OptimizerStep(0.01);
    }

    private static Dictionary<string, Tensor> Weights(ITrainingEngine engine) => engine.ExportParameters().ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    [Trait("Category", "Gpu")]
    public void Optimizer_state_round_trips_through_textgens_layout_and_continues_like_the_cpu_adam()
    {
        GpuRequirement.Device();
        var start = new CharRnnModel(Small, seed: 5).StateDict();
        var (tokens, targets) = GpuParity.RandomBatch(13, 4, 7, seed: 8);
        using var a = NewEngine(start);
        for (int i = 0; i < 3; i++) Step(a, tokens, targets);
        var state = a.ExportOptimizerState();
        var weights = Weights(a);

        Assert.Equal("Adam", state.Kind);
        Assert.Equal(3, state.StepCount);
        int count = Small.ParameterShapes().Count();
        Assert.Equal(3 * count, state.Buffers.Count);
        Assert.All(Enumerable.Range(0, count), i => Assert.Equal(3f, Assert.Single(state.Buffers[$"step.{i}"])));

        using var b = NewEngine(weights);
        b.ImportOptimizerState(state);
        var cpuModel = new CharRnnModel(Small);
        cpuModel.LoadStateDict(weights);
        var cpu = new TextGenEngine(cpuModel, new Adam(cpuModel.Parameters(), 0.01));
        cpu.ImportOptimizerState(state);   // TextGen's own Adam accepts the GPU's state as its own
        foreach (var engine in new ITrainingEngine[] { a, b, cpu }) Step(engine, tokens, targets);

        var wa = Weights(a);
        var wb = Weights(b);
        foreach (var (name, t) in wa) GradCheck.AssertClose(t.Data, wb[name].Data, rel: 1e-6, abs: 1e-7, what: $"resumed {name}");
        var sa = a.ExportOptimizerState();
        var sc = cpu.ExportOptimizerState();
        for (int i = 0; i < count; i++)
            foreach (var buffer in new[] { "exp_avg", "exp_avg_sq" })
            {
                var (gpu, host) = (sa.Buffers[$"{buffer}.{i}"], sc.Buffers[$"{buffer}.{i}"]);
                double diff = Math.Sqrt(gpu.Zip(host, (x, y) => (double)(x - y) * (x - y)).Sum()), norm = Math.Sqrt(host.Sum(x => (double)x * x));
                Assert.True(diff <= 1e-3 * norm + 1e-12, $"{buffer}.{i}: ‖cuda − cpu‖ = {diff:E2}, ‖cpu‖ = {norm:E2}");
            }
        Assert.Equal(4f, sc.Buffers["step.0"][0]);
    }

    [Fact]
    [Trait("Category", "Gpu")]
    public void Evaluation_loss_equals_the_cpu_engines_on_the_exported_weights()
    {
        GpuRequirement.Device();
        var (tokens, targets) = GpuParity.RandomBatch(13, 4, 7, seed: 9);
        using var gpu = NewEngine(new CharRnnModel(Small, seed: 6).StateDict());
        for (int i = 0; i < 3; i++) Step(gpu, tokens, targets, carry: true);
        var model = new CharRnnModel(Small);
        model.LoadStateDict(Weights(gpu));
        var cpu = new TextGenEngine(model, new Adam(model.Parameters()));
        var ids = RandomIds(1000, 13, seed: 10);   // 16 lanes of 62 predictions: chunks of 7 and a last one of 6, the state carried

        var (expected, n) = Evaluator.LaneLoss(cpu, ids, 16, 7, 0);
        var (actual, m) = Evaluator.LaneLoss(gpu, ids, 16, 7, 0);

        Assert.Equal(n, m);
        Assert.True(Math.Abs(actual - expected) <= 1e-4 * expected, $"cuda {actual} vs cpu {expected}");
    }

    [Fact]
    [Trait("Category", "Gpu")]
    public void The_carried_state_matches_the_cpu_engines_and_feeds_the_next_batch()
    {
        GpuRequirement.Device();
        var weights = new CharRnnModel(Small, seed: 12).StateDict();
        var (tokens, targets) = GpuParity.RandomBatch(13, 4, 7, seed: 13);
        using var gpu = NewEngine(weights);
        var model = new CharRnnModel(Small);
        model.LoadStateDict(weights);
        var cpu = new TextGenEngine(model, new Adam(model.Parameters()));

        gpu.ForwardBackward(new StepBatch(tokens, targets, 4, 7) { CarryState = true, Seed = 1337, Step = 0 });
        cpu.ForwardBackward(new StepBatch(tokens, targets, 4, 7) { CarryState = true, Seed = 1337, Step = 0 });
        var (g, c) = (gpu.CarriedState!, cpu.CarriedState!);
        Assert.Equal(new[] { 2, 4, 10 }, g.H.ShapeArray);
        GradCheck.AssertClose(c.H.Data, g.H.Data, rel: 1e-4, abs: 1e-6, what: "h");
        GradCheck.AssertClose(c.C!.Data, g.C!.Data, rel: 1e-4, abs: 1e-6, what: "c");

        // A state set from the CPU is the one the next carried batch starts from.
        var (next, nextTargets) = GpuParity.RandomBatch(13, 4, 7, seed: 14);
        gpu.CarriedState = c;
        float fromSet = gpu.ForwardBackward(new StepBatch(next, nextTargets, 4, 7) { CarryState = true, Seed = 1337, Step = 1 });
        float expected = cpu.ForwardBackward(new StepBatch(next, nextTargets, 4, 7) { CarryState = true, Seed = 1337, Step = 1 });
        Assert.True(Math.Abs(fromSet - expected) <= 1e-4 * expected, $"cuda {fromSet} vs cpu {expected}");
        gpu.CarriedState = null;
        Assert.Null(gpu.CarriedState);
    }

    // The GPU's dropout mask (CUDA's dropout_uniform): splitmix64 of the seed and the element's index in cuDNN's time-major output.
    private static float DropoutUniform(ulong seed, long i)
    {
        ulong z = seed + (ulong)(i + 1) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 40) * (1f / 16777216f);
    }

    [Fact]
    [Trait("Category", "Gpu")]
    public void Dropout_before_the_decoder_matches_the_cpu_model_under_the_same_mask()
    {
        GpuRequirement.Device();
        var config = Small with { NumLayers = 1, Dropout = 0.3f };
        var weights = new CharRnnModel(config, seed: 17).StateDict();
        var (tokens, targets) = GpuParity.RandomBatch(13, 4, 7, seed: 18);
        using var gpu = new CudaEngine(config, weights, learningRate: 0.01);

        float loss = gpu.ForwardBackward(new StepBatch(tokens, targets, 4, 7) { CarryState = false, Seed = 99, Step = 3 });
        double norm = gpu.ClipGradNorm(float.PositiveInfinity);
        float again = gpu.ForwardBackward(new StepBatch(tokens, targets, 4, 7) { CarryState = false, Seed = 99, Step = 3 });
        float otherStep = gpu.ForwardBackward(new StepBatch(tokens, targets, 4, 7) { CarryState = false, Seed = 99, Step = 4 });

        var model = new CharRnnModel(config);
        model.LoadStateDict(weights);
        var (y, _) = model.Rnn.Forward(model.Input.Forward(tokens, 4, 7));   // (batch, seqLen, hidden)
        ulong seed = TextGen.Tensors.Generator.SeedForStep(99, 3);
        var mask = new float[4 * 7 * 10];
        for (int b = 0; b < 4; b++)
            for (int t = 0; t < 7; t++)
                for (int j = 0; j < 10; j++)
                    mask[(b * 7 + t) * 10 + j] = DropoutUniform(seed, (t * 4 + b) * 10L + j) >= 0.3f ? 1f / (1f - 0.3f) : 0f;
        Assert.InRange(mask.Count(m => m == 0), 40, 130);   // about 30% of 280 dropped
        var expected = Ops.LinearCrossEntropy(Ops.Mul(y, new Tensor(mask, 4, 7, 10)), model.Decoder.Weight, model.Decoder.Bias, targets);
        expected.Backward();
        double expectedNorm = GradientClipping.ClipGradNorm(model.Parameters(), float.PositiveInfinity);

        Assert.True(Math.Abs(loss - expected.Item()) <= 1e-4 * expected.Item(), $"cuda {loss} vs cpu under the same mask {expected.Item()}");
        Assert.True(Math.Abs(norm - expectedNorm) <= 1e-3 * expectedNorm, $"gradient norm: cuda {norm} vs cpu {expectedNorm}");
        Assert.True(Math.Abs(again - loss) <= 1e-6 * loss, $"the same (seed, step) drew another mask: {again} vs {loss}");
        Assert.True(Math.Abs(otherStep - loss) > 1e-4 * loss, $"the next step drew the same mask: {otherStep} vs {loss}");
    }

    [Fact]
    [Trait("Category", "Gpu")]
    public void The_step_model_predicts_what_the_gpu_evaluation_scores()
    {
        GpuRequirement.Device();
        using var gpu = NewEngine(new CharRnnModel(Small, seed: 15).StateDict());
        var ids = RandomIds(21, 13, seed: 16);
        var step = gpu.CreateStepModel();
        var state = step.CreateState();
        var logits = new float[13];
        double total = 0;
        for (int t = 0; t < 20; t++)
        {
            step.Feed(state, ids.AsSpan(t, 1), logits);
            double max = logits.Max(), sum = logits.Sum(z => Math.Exp(z - max));
            total += -(logits[ids[t + 1]] - max - Math.Log(sum));
        }

        float loss = gpu.EvaluateLoss(ids[..20], ids[1..], 1, 20, continueState: false);

        Assert.True(Math.Abs(loss - total / 20) <= 1e-4 * loss, $"gpu evaluation {loss} vs the step model's {total / 20}");
    }
}
