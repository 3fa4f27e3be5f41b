// Times a full CPU training step (forward, cross-entropy, backward, clipping, Adam) and batch-1
// generation on random token ids, with warm-up excluded and the median reported.
using System.Diagnostics;
using TextGen.Generation;
using TextGen.Nn;
using TextGen.Optim;
using TextGen.Tensors;
using TextGen.Training;

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
    public static BenchmarkResult Run(BenchmarkConfig c, RecurrentArch arch, int steps = 10, int warmup = 3, int generateTokens = 1000, ulong seed = 1337)
    {
        var model = new CharRnnModel(c.Model(arch), seed);
        var optimizer = new Adam(model.Parameters(), 2e-3);
        var (tokens, targets) = c.RandomBatch(seed);
        void Step()
        {
            model.ZeroGrad();
            Tensor loss;
            using (StepProfiler.Time("step: forward (total)")) loss = model.Loss(tokens, targets, c.Batch, c.SeqLen).Loss;
            using (StepProfiler.Time("step: backward (total)")) loss.Backward();
            using (StepProfiler.Time("step: clip")) GradientClipping.ClipGradNorm(model.Parameters(), 1f);
            using (StepProfiler.Time("step: adam")) optimizer.Step();
        }
        for (int s = 0; s < warmup; s++) Step();
        StepProfiler.Reset();
        double median = MedianTimer.Measure(Step, steps, warmup: 0).MedianMs;

        model.Eval();
        var session = new StepSession(model);
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
        var gen = Stopwatch.StartNew();
        for (int i = 0; i < generateTokens; i++)
        {
            one[0] = sampler.Sample(logits);
            session.Feed(state, one, logits);
        }
        double msPerToken = gen.Elapsed.TotalMilliseconds / generateTokens;
        return new BenchmarkResult(c.Name, arch.ToName(), "cpu", "fp32", model.ParameterCount, tokens.Length / (median / 1000), median, msPerToken,
            Threads: Blas.MaxThreads);
    }
}
