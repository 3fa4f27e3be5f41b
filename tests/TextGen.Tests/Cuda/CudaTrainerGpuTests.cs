// The GPU trainer and generator against the float64 reference; these run only where a CUDA device is present.
using TextGen.Cuda;
using Xunit;
using TextGen.Nn;

namespace TextGen.Tests.Cuda;

[Trait("Category", "Gpu")]
public class CudaTrainerGpuTests
{
    private static void RequireDevice()
    {
        var report = CudaProbe.Report;
        if (!report.IsUsable) Assert.Skip("no CUDA device: " + string.Join("; ", report.Problems));
    }

    [Theory]
    [InlineData(RecurrentArch.Lstm)]
    [InlineData(RecurrentArch.Gru)]
    [InlineData(RecurrentArch.Rnn)]
    [InlineData(RecurrentArch.RnnRelu)]
    public void Fp32_loss_and_gradients_match_the_float64_reference(RecurrentArch arch)
    {
        RequireDevice();
        var (error, worst) = GpuParity.Check(arch, Precision.Fp32);
        Assert.True(error < 1e-4, $"{arch} fp32: relative error {error:E2} in {worst}");
    }

    [Theory]
    [InlineData(RecurrentArch.Lstm)]
    [InlineData(RecurrentArch.Gru)]
    public void Tf32_loss_and_gradients_match_the_float64_reference_to_tf32_accuracy(RecurrentArch arch)
    {
        RequireDevice();
        var (error, worst) = GpuParity.Check(arch, Precision.Tf32);
        Assert.True(error < 2e-3, $"{arch} tf32: relative error {error:E2} in {worst}");
    }

    [Fact]
    public void A_batch_too_large_for_the_device_fails_before_allocating_with_the_numbers()
    {
        RequireDevice();
        var config = new CharRnnConfig(Arch: RecurrentArch.Lstm, VocabularySize: 65, EmbeddingDim: 64, HiddenSize: 256, NumLayers: 1);
        using var trainer = new CudaCharTrainer(config, CharRnnModel.InitialParameters(config, seed: 3));
        long reservedBefore = CudaDevice.Default.Allocator.BytesReserved;
        // 16,384 x 4,096 rows need about 190 GB for embeddings, outputs and logits and their gradients: more than any one GPU has.
        int batch = 16_384, seqLen = 4_096;
        var e = Assert.Throws<InsufficientMemoryException>(() => trainer.TrainStep(new int[batch * seqLen], new int[batch * seqLen], batch, seqLen, 1e-3f, 1f));
        Assert.Contains("GiB of GPU memory", e.Message);
        Assert.Contains("--batch", e.Message);
        Assert.Equal(reservedBefore, CudaDevice.Default.Allocator.BytesReserved);
    }

    [Fact]
    public void One_step_applies_clipping_and_adam_to_the_reference_gradients()
    {
        RequireDevice();
        var config = GpuParity.TinyModel(RecurrentArch.Lstm);
        var p = CharRnnModel.InitialParameters(config, seed: 11);
        var (tokens, targets) = GpuParity.RandomBatch(config.VocabularySize, 4, 6, seed: 12);
        using var trainer = new CudaCharTrainer(config, p);
        float lr = 0.01f, clip = 0.05f;   // small clip so that clipping is active

        trainer.TrainStep(tokens, targets, 4, 6, lr, clip);
        var after = trainer.ExportParameters();

        var (_, g) = CharModelReference.LossAndGradients("lstm", config.NumLayers, p, tokens, targets, 4, 6);
        double norm = Math.Sqrt(g.Values.Sum(a => a.Sum(x => x * x)));
        double scale = Math.Min(1, clip / (norm + 1e-6));
        Assert.True(scale < 1, "the test needs clipping to be active");
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
        RequireDevice();
        var config = new CharRnnConfig(Arch: RecurrentArch.Gru, VocabularySize: 20, EmbeddingDim: 16, HiddenSize: 32, NumLayers: 2, Dropout: 0.1f);
        var (tokens, targets) = GpuParity.RandomBatch(config.VocabularySize, 8, 16, seed: 3);
        using var trainer = new CudaCharTrainer(config, CharRnnModel.InitialParameters(config, seed: 4), new CudaTrainerOptions(Precision.Tf32));

        float first = trainer.TrainStep(tokens, targets, 8, 16, 0.01f, 1f);
        float last = first;
        for (int i = 0; i < 100; i++) last = trainer.TrainStep(tokens, targets, 8, 16, 0.01f, 1f);

        Assert.InRange(first, MathF.Log(20) - 0.5f, MathF.Log(20) + 0.5f);
        Assert.True(last < 0.5f * first, $"loss went from {first} to {last}");
    }

    [Fact]
    public void Greedy_generation_repeats_itself_and_carries_state_between_calls()
    {
        RequireDevice();
        var config = GpuParity.TinyModel(RecurrentArch.Lstm);
        using var generator = new CudaCharGenerator(config, CharRnnModel.InitialParameters(config, seed: 6));

        var once = generator.Generate([1, 2, 3], 12, temperature: 0f, seed: 1).Tokens;
        generator.Reset();
        var first = generator.Generate([1, 2, 3], 5, temperature: 0f, seed: 1).Tokens;
        var rest = generator.Generate([first[^1]], 7, temperature: 0f, seed: 1).Tokens;

        Assert.Equal(once, first.Concat(rest));
        Assert.All(once, t => Assert.InRange(t, 0, config.VocabularySize - 1));
    }
}
