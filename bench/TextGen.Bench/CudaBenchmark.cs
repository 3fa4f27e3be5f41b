// The GPU benchmark of BENCHMARKS.md: tokens/s of a full training step (median after warm-up) and batch-1 generation
// ms/token at temperature 0.8, for the named configurations, the same work tests/reference/torch_bench.py times.
// The namespace stays TextGen.Cuda, where lessons 1 and 7 call it after `using TextGen.Cuda;`.
using TextGen.Bench;
using TextGen.Nn;
using TextGen.Training;

namespace TextGen.Cuda;

/// <summary>Runs the GPU benchmark; the CLI's <c>bench --device cuda</c> and bench/TextGen.Cuda.Bench call <c>Run</c>.</summary>
public static class CudaBenchmark
{
    /// <summary>Times <paramref name="steps"/> training steps after <paramref name="warmup"/> and 1000 generated tokens, on random ids.</summary>
    public static BenchmarkResult Run(BenchmarkConfig config, RecurrentArch arch, Precision precision, int steps = 20, int warmup = 5,
        int generateTokens = 1000, Action<string>? log = null)
    {
        var model = config.Model(arch);
        GpuModelCheck.EnsureSupported(model);
        using var trainer = new CudaCharTrainer(model, CharRnnModel.InitialParameters(model, seed: 1337), new CudaTrainerOptions(precision, Log: log));
        var (tokens, targets) = config.RandomBatch(seed: 1234);
        int step = 0;
        double median = MedianTimer.Measure(() =>
        {
            float loss = trainer.TrainStep(tokens, targets, config.Batch, config.SeqLen, lr: 1e-3f, clip: 1f);
            if (!float.IsFinite(loss)) throw new InvalidOperationException($"benchmark loss became {loss} at step {step}");
            step++;
        }, steps, warmup).MedianMs;

        using var generator = trainer.CreateGenerator();
        generator.Generate([0], 50, 0.8f, seed: 1);                 // warm-up: first launches, module paging
        generator.Reset();
        var generated = generator.Generate([0], generateTokens, 0.8f, seed: 2);
        return new BenchmarkResult(config.Name, arch.ToName(), CudaDevice.Default.Name, precision.ToName(), model.ParameterCount(),
            tokens.Length / median * 1000, median, generated.MsPerToken, RnnSetting: trainer.RnnSetting);
    }

    /// <summary>Runs by names as the CLI spells them: <c>Run("S", "lstm", "tf32")</c>.</summary>
    public static BenchmarkResult Run(string config, string arch, string precision, Action<string>? log = null) =>
        Run(BenchmarkConfig.Get(config), EnumNames.Parse<RecurrentArch>(arch), EnumNames.Parse<Precision>(precision), log: log);
}
