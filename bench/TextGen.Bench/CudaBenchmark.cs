// The GPU benchmark of BENCHMARKS.md through the engine seam: tokens/s of the training step users run (ForwardBackward,
// ClipGradNorm, OptimizerStep on CudaEngine, median after warm-up) and batch-1 generation ms/token at temperature 0.8
// through the engine's step model and the library's LogitsSampler: the same work tests/reference/torch_bench.py times.
// The namespace stays TextGen.Cuda, where lessons 1 and 7 call it after `using TextGen.Cuda;`.
using TextGen.Bench;
using TextGen.Generation;
using TextGen.Nn;
using TextGen.Tensors;
using TextGen.Training;

namespace TextGen.Cuda;

/// <summary>Runs the GPU benchmark; the CLI's <c>bench --device cuda</c> and bench/TextGen.Cuda.Bench call <c>Run</c>.</summary>
public static class CudaBenchmark
{
    /// <summary>Times <paramref name="steps"/> training steps after <paramref name="warmup"/> and <paramref name="generateTokens"/> generated tokens, on random ids.</summary>
    public static BenchmarkResult Run(BenchmarkConfig config, RecurrentArch arch, Precision precision, int steps = 20, int warmup = 5,
        int generateTokens = 1000, Action<string>? log = null)
    {
        var model = config.Model(arch);
        var weights = CharRnnModel.InitialParameters(model, seed: 1337);
        var tensors = model.ParameterShapes().ToDictionary(p => p.Name, p => new Tensor(weights[p.Name], p.Shape));
        using var engine = new CudaEngine(model, tensors, learningRate: 1e-3, precision: precision);
        var (tokens, targets) = config.RandomBatch(seed: 1234);
        int step = 0;
        double median = MedianTimer.Measure(() =>
        {
            float loss = engine.ForwardBackward(tokens, targets, config.Batch, config.SeqLen, carryState: false, seed: 1337, step);
            if (!float.IsFinite(loss)) throw new InvalidOperationException($"benchmark loss became {loss} at step {step}");
            engine.ClipGradNorm(1f);
            engine.OptimizerStep(1e-3);
            step++;
        }, steps, warmup).MedianMs;
        foreach (var line in engine.TuningLog) log?.Invoke(line);

        var stepModel = engine.CreateStepModel();
        var sampler = new LogitsSampler(new SamplingOptions { Strategy = DecodingStrategy.Sample, Temperature = 0.8f, Seed = 2 });
        var state = stepModel.CreateState();
        var logits = new float[stepModel.VocabularySize];
        int token = 0;
        void Generate() { stepModel.Feed(state, [token], logits); token = sampler.Sample(logits); }
        for (int i = 0; i < 50; i++) Generate();                 // warm-up: first launches, module paging
        double generation = MedianTimer.Measure(() => { for (int i = 0; i < generateTokens; i++) Generate(); }, repeats: 1, warmup: 0).MedianMs;
        return new BenchmarkResult(config.Name, arch.ToName(), engine.DeviceName, precision.Name(), model.ParameterCount(),
            tokens.Length / median * 1000, median, generation / generateTokens, RnnSetting: engine.RnnSetting);
    }

    /// <summary>Runs by names as the CLI spells them: <c>Run("S", "lstm", "tf32")</c>.</summary>
    public static BenchmarkResult Run(string config, string arch, string precision, Action<string>? log = null) =>
        Run(BenchmarkConfig.Get(config), RecurrentArchNames.Parse(arch), PrecisionNames.Parse(precision), log: log);
}
