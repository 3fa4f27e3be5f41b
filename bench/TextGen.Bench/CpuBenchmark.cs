// Times a full CPU training step (forward, cross-entropy, backward, clipping, Adam) and batch-1
// generation on random token ids, with warm-up excluded and the median reported.
using System.Diagnostics;
using TextGen.Generation;
using TextGen.Nn;
using TextGen.Optim;
using TextGen.Tensors;
using TextGen.Training;
using TextGen.Tensors.Kernels;

namespace TextGen.Bench;

/// <summary>The CPU benchmark behind <c>textgen bench --device cpu</c>.</summary>
public static class CpuBenchmark
{
    /// <summary>Runs the training-step and generation timings for one configuration and cell type.</summary>
    /// <param name="c">The configuration: model sizes and batch shape.</param>
    /// <param name="arch">The recurrent cell.</param>
    /// <param name="steps">Timed training steps.</param>
    /// <param name="warmup">Untimed training steps before them; <see cref="StepProfiler"/> counts only the timed ones.</param>
    /// <param name="generateTokens">Timed generated tokens.</param>
    /// <param name="seed">Seed of the model and of the random ids.</param>
    /// <param name="engine">The engine to time: TextGen's own, or the same model and step in TorchSharp (the CPU peer).</param>
    public static BenchmarkResult Run(BenchmarkConfig c, RecurrentArch arch, int steps = 10, int warmup = 3, int generateTokens = 1000, ulong seed = 1337,
        EngineKind engine = EngineKind.TextGen)
    {
        var model = new CharRnnModel(c.Model(arch), seed);
        var (tokens, targets) = c.RandomBatch(seed);
        Action step;
        IStepModel stepModel;
        ITrainingEngine? other = null;
        if (engine == EngineKind.TextGen)
        {
            var optimizer = new Adam(model.Parameters(), LearningRate);
            step = () =>
            {
                model.ZeroGrad();
                Tensor loss;
                using (StepProfiler.Time("step: forward (total)")) loss = model.Loss(tokens, targets, c.Batch, c.SeqLen).Loss;
                using (StepProfiler.Time("step: backward (total)")) loss.Backward();
                using (StepProfiler.Time("step: clip")) GradientClipping.ClipGradNorm(model.Parameters(), 1f);
                using (StepProfiler.Time("step: adam")) optimizer.Step();
            };
            stepModel = new StepSession(model);
        }
        else
        {
            // The same step through the engine seam: forward, cross-entropy, backward, clipping at 1, Adam at the same rate.
            other = TrainingEngines.Create(new TrainOptions { Engine = engine, LearningRate = LearningRate, Dropout = 0 }, model);
            step = () =>
            {
                other.ForwardBackward(new StepBatch(tokens, targets, c.Batch, c.SeqLen) { Seed = seed });
                other.ClipGradNorm(1f);
                other.OptimizerStep(LearningRate);
            };
            stepModel = other.CreateStepModel();
        }
        try
        {
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            long before = process.WorkingSet64;
            for (int s = 0; s < warmup; s++) step();
            StepProfiler.Reset();
            double median = MedianTimer.Measure(step, steps, warmup: 0).MedianMs;
            process.Refresh();
            long peak = process.PeakWorkingSet64;
            double msPerToken = GenerationMs(stepModel, generateTokens, seed);
            double tokensPerSecond = tokens.Length / (median / 1000);
            return new BenchmarkResult(c.Name, arch.ToName(), "cpu", "fp32", model.ParameterCount, tokensPerSecond, median, msPerToken,
                Threads: Blas.MaxThreads)
            {
                Engine = engine.ToName(),
                Gflops = tokensPerSecond * BenchmarkConfig.TrainingFlopsPerToken(c.Model(arch)) / 1e9,
                PeakGflops = PeakGflops(),
                PeakWorkingSetMib = peak / (1024.0 * 1024),
                StepWorkingSetMib = Math.Max(0, peak - before) / (1024.0 * 1024),
            };
        }
        finally
        {
            (stepModel as IDisposable)?.Dispose();
            other?.Dispose();
        }
    }

    private const float LearningRate = 2e-3f;

    /// <summary>
    /// TextGen's matrix product on 768-square operands at the current thread count, median of 9: the practical FP32 peak of
    /// this machine in this run, against which a step's GFLOP/s shows how far it is from the limit.
    /// </summary>
    public static double PeakGflops()
    {
        const int n = 768;
        var random = new Generator(7);
        float[] a = new float[n * n], b = new float[n * n], product = new float[n * n];
        random.FillUniform(a, -1, 1);
        random.FillUniform(b, -1, 1);
        double ms = MedianTimer.Measure(() => Blas.Sgemm(false, false, n, n, n, a, b, product), 9, warmup: 2).MedianMs;
        return 2.0 * n * n * n / (ms / 1000) / 1e9;
    }

    // Batch-1 generation with the state carried, sampled at temperature 0.8, as BENCHMARKS.md defines it: median of three passes.
    private static double GenerationMs(IStepModel session, int generateTokens, ulong seed)
    {
        var state = session.CreateState();
        var logits = new float[BenchmarkConfig.Vocabulary];
        var sampler = new LogitsSampler(new SamplingOptions { Temperature = 0.8f, Seed = seed });
        var one = new int[1];
        session.Feed(state, one, logits);
        // Untimed warm-up lets the JIT finish optimising the per-token path, as the training warm-up does.
        for (int i = 0; i < 300; i++)
        {
            one[0] = sampler.Sample(logits);
            session.Feed(state, one, logits);
        }
        // The median of three passes: one pass of a few milliseconds is easily hit by another job on a shared machine.
        return MedianTimer.Measure(() =>
        {
            for (int i = 0; i < generateTokens; i++)
            {
                one[0] = sampler.Sample(logits);
                session.Feed(state, one, logits);
            }
        }, 3, warmup: 0).MedianMs / generateTokens;
    }
}
