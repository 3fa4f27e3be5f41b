// The CUDA engine against the float64 reference, and what review found that only a GPU can show: a cached autotuner choice
// that must come with its workspace, every cuDNN setting really tried (fp32's persistent one had never been), engines of two
// precisions sharing cuBLAS's handle. These need a GPU (GpuRequirement).
using TextGen.Cuda;
using TextGen.Training;
using TextGen.Nn;
using Xunit;

namespace TextGen.Tests.Cuda;

[Trait("Category", "Gpu")]
public class CudaTrainerGpuTests
{
    private static CudaEngine Engine(CharRnnConfig config, IReadOnlyDictionary<string, float[]> weights, Precision precision = Precision.Fp32) =>
        new(config, GpuParity.Tensors(config, weights), learningRate: 0.01, precision: precision);

    [Theory]
    [InlineData(RecurrentArch.Lstm)]
    [InlineData(RecurrentArch.Gru)]
    [InlineData(RecurrentArch.Rnn)]
    [InlineData(RecurrentArch.RnnRelu)]
    public void Fp32_loss_and_gradients_match_the_float64_reference(RecurrentArch arch)
    {
        GpuRequirement.Device();
        var (error, worst) = GpuParity.Check(arch, Precision.Fp32);
        Assert.True(error < 1e-4, $"{arch} fp32: relative error {error:E2} in {worst}");
    }

    [Theory]
    [InlineData(RecurrentArch.Lstm)]
    [InlineData(RecurrentArch.Gru)]
    public void Tf32_loss_and_gradients_match_the_float64_reference_to_tf32_accuracy(RecurrentArch arch)
    {
        GpuRequirement.Device();
        var (error, worst) = GpuParity.Check(arch, Precision.Tf32);
        Assert.True(error < 2e-3, $"{arch} tf32: relative error {error:E2} in {worst}");
    }

    [Fact]
    public void A_batch_too_large_for_the_device_fails_before_allocating_with_the_numbers()
    {
        GpuRequirement.Device();
        var config = new CharRnnConfig(Arch: RecurrentArch.Lstm, VocabularySize: 65, EmbeddingDim: 64, HiddenSize: 256, NumLayers: 1);
        using var engine = Engine(config, CharRnnModel.InitialParameters(config, seed: 3));
        engine.ForwardBackward(new StepBatch(new int[4 * 5], new int[4 * 5], 4, 5) { CarryState = false, Seed = 1, Step = 0 });   // the optimizer state exists, so only the batch is new
        long reservedBefore = CudaDevice.Default.Allocator.BytesReserved;
        // 16,384 x 4,096 rows need about 190 GB for embeddings, outputs and logits and their gradients: more than any one GPU has.
        int batch = 16_384, seqLen = 4_096;
        var e = Assert.Throws<InsufficientMemoryException>(() => engine.ForwardBackward(new StepBatch(new int[batch * seqLen], new int[batch * seqLen], batch, seqLen) { CarryState = false, Seed = 1, Step = 1 }));
        Assert.Contains("GiB of GPU memory", e.Message);
        Assert.Contains("--batch", e.Message);
        Assert.True(CudaDevice.Default.Allocator.BytesReserved <= reservedBefore, "the refused batch allocated device memory");
        Assert.True(float.IsFinite(engine.ForwardBackward(new StepBatch(new int[4 * 5], new int[4 * 5], 4, 5) { CarryState = false, Seed = 1, Step = 2 })), "the engine no longer trains after the refusal");
    }

    [Fact]
    public void One_step_applies_clipping_and_adam_to_the_reference_gradients()
    {
        GpuRequirement.Device();
        var config = GpuParity.TinyModel(RecurrentArch.Lstm);
        var p = CharRnnModel.InitialParameters(config, seed: 11);
        var (tokens, targets) = GpuParity.RandomBatch(config.VocabularySize, 4, 6, seed: 12);
        using var engine = Engine(config, p);
        float lr = 0.01f, clip = 0.05f;   // small clip so that clipping is active

        engine.ForwardBackward(new StepBatch(tokens, targets, 4, 6) { CarryState = false, Seed = 1, Step = 0 });
        double measured = engine.ClipGradNorm(clip);
        engine.OptimizerStep(lr);
        var after = engine.ExportParameters().ToDictionary(kv => kv.Key, kv => kv.Value.Data);

        var (_, g) = CharModelReference.LossAndGradients("lstm", config.NumLayers, p, tokens, targets, 4, 6);
        double norm = Math.Sqrt(g.Values.Sum(a => a.Sum(x => x * x)));
        double scale = Math.Min(1, clip / (norm + 1e-6));
        Assert.True(scale < 1, "the test needs clipping to be active");
        Assert.True(Math.Abs(measured - norm) <= 1e-4 * norm, $"measured norm {measured} vs the reference's {norm}");
        foreach (var (name, grad) in g)
            for (int i = 0; i < grad.Length; i++)
            {
                // Adam's first step: m̂ = g, v̂ = g², so the step is lr * g / (|g| + eps).
                double gi = grad[i] * scale, expected = p[name][i] - lr * gi / (Math.Abs(gi) + 1e-8);
                Assert.True(Math.Abs(after[name][i] - expected) <= 1e-4 * lr + 1e-6 || Math.Abs(gi) < 1e-6,
                    $"{name}[{i}]: {after[name][i]} vs {expected}");
            }
    }

    [Fact]
    public void Training_on_one_batch_drives_the_loss_down()
    {
        GpuRequirement.Device();
        var config = new CharRnnConfig(Arch: RecurrentArch.Gru, VocabularySize: 20, EmbeddingDim: 16, HiddenSize: 32, NumLayers: 2, Dropout: 0.1f);
        var (tokens, targets) = GpuParity.RandomBatch(config.VocabularySize, 8, 16, seed: 3);
        using var engine = Engine(config, CharRnnModel.InitialParameters(config, seed: 4), Precision.Tf32);

        float Step(int i)
        {
            float loss = engine.ForwardBackward(new StepBatch(tokens, targets, 8, 16) { CarryState = false, Seed = 7, Step = i });
            engine.ClipGradNorm(1f);
            engine.OptimizerStep(0.01);
            return loss;
        }
        float first = Step(0), last = first;
        for (int i = 1; i <= 100; i++) last = Step(i);

        Assert.InRange(first, MathF.Log(20) - 0.5f, MathF.Log(20) + 0.5f);
        Assert.True(last < 0.5f * first, $"loss went from {first} to {last}");
    }

    [Fact]
    public void A_second_engine_of_the_same_shape_trains_with_the_cached_setting_and_its_own_workspace()
    {
        GpuRequirement.Device();
        var config = GpuParity.TinyModel(RecurrentArch.Gru) with { NumLayers = 1 };
        var weights = CharRnnModel.InitialParameters(config, seed: 30);
        var (tokens, targets) = GpuParity.RandomBatch(config.VocabularySize, 5, 9, seed: 31);
        float[] losses = new float[3];
        string? setting = null;
        for (int i = 0; i < losses.Length; i++)
        {
            using var engine = Engine(config, weights);
            losses[i] = engine.ForwardBackward(new StepBatch(tokens, targets, 5, 9) { CarryState = false, Seed = 1, Step = 0 });
            Assert.True(setting is null || engine.RnnSetting == setting, $"engine {i} chose {engine.RnnSetting}, the first {setting}");
            setting = engine.RnnSetting;
        }
        Assert.All(losses, l => Assert.True(Math.Abs(l - losses[0]) <= 1e-6 * losses[0], $"losses {string.Join(", ", losses)}"));
    }

    [Theory]
    [InlineData(Precision.Fp32)]
    [InlineData(Precision.Tf32)]
    public void Every_cudnn_setting_of_a_precision_is_timed_on_the_device_or_skipped_with_cudnns_reason(Precision precision)
    {
        GpuRequirement.Device();
        var config = new CharRnnConfig(Arch: RecurrentArch.Lstm, VocabularySize: 65, EmbeddingDim: 64, HiddenSize: 256);
        var (tokens, targets) = GpuParity.RandomBatch(config.VocabularySize, 24, 37, seed: 50);
        using var engine = Engine(config, CharRnnModel.InitialParameters(config, seed: 50), precision);

        engine.ForwardBackward(new StepBatch(tokens, targets, 24, 37) { CarryState = false, Seed = 1, Step = 0 });   // a shape no other test tunes, so it is tuned here

        var log = string.Join("\n", engine.TuningLog);
        foreach (var (algo, math) in RnnAutotuner.Candidates(precision))
        {
            string label = CudnnRnnDescriptor.LabelOf(algo, math);
            Assert.Single(engine.TuningLog, l => (l.Contains($" {label}: ") && l.EndsWith(" ms", StringComparison.Ordinal)) || l.Contains($" {label} skipped: "));
        }
        Assert.True(engine.TuningLog.Any(l => l.Contains($" {engine.RnnSetting}: ") && l.EndsWith(" ms", StringComparison.Ordinal)), $"the winner {engine.RnnSetting} was not timed:\n{log}");
    }

    [Fact]
    public void Engines_of_two_precisions_interleaved_compute_as_each_does_alone()
    {
        GpuRequirement.Device();
        var config = new CharRnnConfig(Arch: RecurrentArch.Lstm, VocabularySize: 65, EmbeddingDim: 64, HiddenSize: 256);
        var weights = CharRnnModel.InitialParameters(config, seed: 40);
        var (tokens, targets) = GpuParity.RandomBatch(config.VocabularySize, 32, 50, seed: 41);
        double Norm(CudaEngine engine)
        {
            engine.ForwardBackward(new StepBatch(tokens, targets, 32, 50) { CarryState = false, Seed = 1, Step = 0 });
            return engine.ClipGradNorm(float.PositiveInfinity);
        }
        double Alone(Precision precision)
        {
            using var engine = Engine(config, weights, precision);
            return Norm(engine);
        }
        double fp32 = Alone(Precision.Fp32), tf32 = Alone(Precision.Tf32);
        Assert.True(Math.Abs(fp32 - tf32) > 1e-5 * fp32, $"the precisions agree too closely to tell apart: {fp32} and {tf32}");

        using var strict = Engine(config, weights, Precision.Fp32);
        using var fast = Engine(config, weights, Precision.Tf32);
        for (int i = 0; i < 3; i++)
        {
            double s = Norm(strict), f = Norm(fast);
            Assert.True(Math.Abs(s - fp32) <= 1e-6 * fp32, $"round {i}: the fp32 engine's gradient norm {s} is not its own {fp32} (tf32 alone gives {tf32})");
            Assert.True(Math.Abs(f - tf32) <= 1e-6 * tf32, $"round {i}: the tf32 engine's gradient norm {f} is not its own {tf32} (fp32 alone gives {fp32})");
        }
    }

    [Fact]
    public void The_probe_loads_one_complete_set_and_every_library_from_it()
    {
        GpuRequirement.Device();
        var report = CudaProbe.Report;
        var set = Assert.IsType<TextGen.Cuda.Interop.CudaLibrarySet>(report.LibrarySet);
        var folders = set.Directories.ToHashSet();
        foreach (var library in report.Libraries.Where(l => l.Name != "cuda"))
            Assert.Contains(Path.GetDirectoryName(library.Path!)!, folders);
        Assert.True(report.ComputeCapability!.Value.CompareTo(CudaProbe.MinimumComputeCapability) >= 0);
    }
}
