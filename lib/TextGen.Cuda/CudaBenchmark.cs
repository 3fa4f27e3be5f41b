// The GPU benchmark of BENCHMARKS.md: tokens/s of a full training step (median after warm-up) and batch-1 generation
// ms/token at temperature 0.8, for the named configurations, the same work tests/reference/torch_bench.py times.
using System.Diagnostics;
using TextGen.Training;
using TextGen.Nn;

namespace TextGen.Cuda;

/// <summary>What one benchmark run measured.</summary>
/// <param name="Config">Configuration name.</param>
/// <param name="Arch">Recurrent cell.</param>
/// <param name="Precision">Arithmetic used.</param>
/// <param name="TokensPerSecond">batch x seqLen over the median training-step time.</param>
/// <param name="MedianStepMs">Median training-step time.</param>
/// <param name="GenerationMsPerToken">Batch-1 generation time per token at temperature 0.8.</param>
/// <param name="RnnSetting">cuDNN algorithm and math the autotuner picked.</param>
/// <param name="Device">GPU name.</param>
public sealed record BenchmarkResult(string Config, string Arch, string Precision, double TokensPerSecond, double MedianStepMs,
    double GenerationMsPerToken, string RnnSetting, string Device);

/// <summary>Runs the benchmark; the CLI's <c>bench --device cuda</c> calls <c>Run</c>.</summary>
public static class CudaBenchmark
{
    /// <summary>Times <paramref name="steps"/> training steps after <paramref name="warmup"/> and 1000 generated tokens, on random ids.</summary>
    public static BenchmarkResult Run(BenchmarkConfig config, RecurrentArch arch, Precision precision, int steps = 20, int warmup = 5,
        int generateTokens = 1000, Action<string>? log = null)
    {
        var model = config.Model(arch);
        GpuModelCheck.EnsureSupported(model);
        var random = new TextGen.Tensors.Generator(1234);
        using var trainer = new CudaCharTrainer(model, CharRnnModel.InitialParameters(model, seed: 1337), new CudaTrainerOptions(precision, Log: log));
        int rows = config.Batch * config.SeqLen;
        var tokens = new int[rows];
        var targets = new int[rows];
        for (int i = 0; i < rows; i++) { tokens[i] = random.NextInt(model.VocabularySize); targets[i] = random.NextInt(model.VocabularySize); }

        var times = new double[steps];
        for (int i = 0; i < warmup + steps; i++)
        {
            var clock = Stopwatch.StartNew();
            float loss = trainer.TrainStep(tokens, targets, config.Batch, config.SeqLen, lr: 1e-3f, clip: 1f);
            if (i >= warmup) times[i - warmup] = clock.Elapsed.TotalMilliseconds;
            if (!float.IsFinite(loss)) throw new InvalidOperationException($"benchmark loss became {loss} at step {i}");
        }
        Array.Sort(times);
        double median = times[steps / 2];

        using var generator = trainer.CreateGenerator();
        generator.Generate([0], 50, 0.8f, seed: 1);                 // warm-up: first launches, module paging
        generator.Reset();
        var generated = generator.Generate([0], generateTokens, 0.8f, seed: 2);
        return new BenchmarkResult(config.Name, arch.ToString().ToLowerInvariant(), precision.Name(), rows / median * 1000, median,
            generated.MsPerToken, trainer.RnnSetting, CudaDevice.Default.Name);
    }

    /// <summary>Runs by names as the CLI spells them: <c>Run("S", "lstm", "tf32")</c>.</summary>
    public static BenchmarkResult Run(string config, string arch, string precision, Action<string>? log = null) =>
        Run(BenchmarkConfig.Get(config), RecurrentArchNames.Parse(arch), PrecisionNames.Parse(precision), log: log);
}
