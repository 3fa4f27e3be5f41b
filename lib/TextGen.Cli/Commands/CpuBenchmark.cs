// Times a full CPU training step (forward, cross-entropy, backward, clipping, Adam) and batch-1
// generation on random token ids, with warm-up excluded and the median reported.
using System.Diagnostics;
using TextGen.Generation;
using TextGen.Nn;
using TextGen.Optim;
using TextGen.Tensors;
using TextGen.Training;

namespace TextGen.Cli.Commands;

/// <summary>Result of one benchmark cell.</summary>
public sealed record BenchResult(string Config, string Arch, string Device, string Precision, long Parameters,
    double TokensPerSecond, double MedianStepMs, double MsPerToken, int Threads);

/// <summary>The CPU benchmark behind <c>textgen bench --device cpu</c>.</summary>
public static class CpuBenchmark
{
    /// <summary>Runs the training-step and generation timings for one configuration and cell type.</summary>
    public static BenchResult Run(BenchmarkConfig c, RecurrentArch arch, int steps = 10, int warmup = 3, int generateTokens = 1000, ulong seed = 1337)
    {
        var model = new CharRnnModel(c.Model(arch), seed);
        var optimizer = new Adam(model.Parameters(), 2e-3);
        var g = new Generator(seed);
        int n = c.Batch * c.SeqLen;
        var tokens = new int[n]; var targets = new int[n];
        var times = new List<double>();
        for (int s = 0; s < warmup + steps; s++)
        {
            for (int i = 0; i < n; i++) { tokens[i] = g.NextInt(BenchmarkConfig.Vocabulary); targets[i] = g.NextInt(BenchmarkConfig.Vocabulary); }
            if (s == warmup) StepProfiler.Reset();
            var sw = Stopwatch.StartNew();
            model.ZeroGrad();
            Tensor loss;
            using (StepProfiler.Time("step: forward (total)")) loss = model.Loss(tokens, targets, c.Batch, c.SeqLen).Loss;
            using (StepProfiler.Time("step: backward (total)")) loss.Backward();
            using (StepProfiler.Time("step: clip")) GradientClipping.ClipGradNorm(model.Parameters(), 1f);
            using (StepProfiler.Time("step: adam")) optimizer.Step();
            if (s >= warmup) times.Add(sw.Elapsed.TotalMilliseconds);
        }
        double median = Median(times);

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
        return new BenchResult(c.Name, arch.ToName(), "cpu", "fp32", model.ParameterCount, n / (median / 1000), median, msPerToken, Blas.MaxThreads);
    }

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }
}
