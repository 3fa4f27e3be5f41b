// The one benchmark of BENCHMARKS.md, through the engine seam: a full training step as the Trainer runs it
// (ForwardBackward, ClipGradNorm, OptimizerStep) and batch-1 generation through the engine's IStepModel, on
// random ids, warm-up excluded and medians reported. `textgen bench`, the GPU console and the lessons all call it.
using TextGen.Generation;
using TextGen.Nn;
using TextGen.Optim;
using TextGen.Tensors;
using TextGen.Tensors.Kernels;
using TextGen.Training;

namespace TextGen.Benchmarks;

/// <summary>How long a benchmark runs: timed and untimed training steps, generated tokens and passes, the seed.</summary>
/// <param name="Steps">Timed training steps; their median is reported.</param>
/// <param name="Warmup">Untimed training steps before them (the JIT, caches, cuDNN's autotuning).</param>
/// <param name="GenerateTokens">Tokens generated per timed pass.</param>
/// <param name="GenerationPasses">Timed generation passes; their median is reported.</param>
/// <param name="Seed">Seed of the model's weights and of the random ids.</param>
public sealed record BenchmarkSettings(int Steps = 10, int Warmup = 3, int GenerateTokens = 1000, int GenerationPasses = 3, ulong Seed = 1337)
{
    /// <summary>Throws with the setting that is out of range.</summary>
    public void Validate()
    {
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), $"benchmark: {Steps} timed steps; at least 1 is needed");
        if (Warmup < 0) throw new ArgumentOutOfRangeException(nameof(Warmup), $"benchmark: {Warmup} warm-up steps must be 0 or more");
        if (GenerateTokens < 1) throw new ArgumentOutOfRangeException(nameof(GenerateTokens), $"benchmark: {GenerateTokens} generated tokens; at least 1 is needed");
        if (GenerationPasses < 1) throw new ArgumentOutOfRangeException(nameof(GenerationPasses), $"benchmark: {GenerationPasses} generation passes; at least 1 is needed");
    }
}

/// <summary>Times any engine through <see cref="ITrainingEngine"/> and <see cref="IStepModel"/>: the step users train with, the generation they get.</summary>
public static class EngineBenchmark
{
    /// <summary>The step's learning rate (Adam, constant): the figure does not depend on it.</summary>
    public const float LearningRate = 2e-3f;

    /// <summary>The clipping bound of the step, as the trainer's default.</summary>
    public const float Clip = 1f;

    /// <summary>The sampling temperature of the generation pass.</summary>
    public const float Temperature = 0.8f;

    /// <summary>
    /// Builds the engine <paramref name="engine"/> names (its <see cref="TrainOptions.Engine"/>, <see cref="TrainOptions.Device"/>
    /// and <see cref="TrainOptions.AllowTf32"/>) through <see cref="TrainingEngines"/>, times it and releases it.
    /// </summary>
    /// <param name="config">The configuration: model sizes and batch shape.</param>
    /// <param name="arch">The recurrent cell.</param>
    /// <param name="engine">Which engine on which device; null is TextGen's on the CPU.</param>
    /// <param name="settings">How long to run; null takes the defaults.</param>
    public static BenchmarkResult Run(BenchmarkConfig config, RecurrentArch arch, TrainOptions? engine = null, BenchmarkSettings? settings = null)
    {
        settings ??= new BenchmarkSettings();
        using var created = CreateEngine(config, arch, engine, settings.Seed);
        var result = Run(created, config, settings);
        return created.Device.Type == DeviceType.Cuda && engine is { AllowTf32: true } ? result with { Precision = "tf32" } : result;
    }

    /// <summary>
    /// The engine a benchmark times: the configuration's model seeded by <paramref name="seed"/>, Adam at <see cref="LearningRate"/>,
    /// built by <see cref="TrainingEngines.Create"/> on the engine and device <paramref name="engine"/> names (its other settings are ignored).
    /// </summary>
    public static ITrainingEngine CreateEngine(BenchmarkConfig config, RecurrentArch arch, TrainOptions? engine = null, ulong seed = 1337)
    {
        ArgumentNullException.ThrowIfNull(config);
        var e = engine ?? new TrainOptions();
        var options = new TrainOptions
        {
            Arch = arch, Optimizer = OptimizerKind.Adam, LearningRate = LearningRate, Clip = Clip, Seed = seed,
            Engine = e.Engine, Device = e.Device, AllowTf32 = e.AllowTf32,
        };
        return TrainingEngines.Create(options, new CharRnnModel(config.Model(arch), seed));
    }

    /// <summary>
    /// Times <paramref name="engine"/> on batches of <paramref name="config"/>'s shape: <see cref="BenchmarkSettings.Warmup"/> untimed
    /// and <see cref="BenchmarkSettings.Steps"/> timed training steps, then batch-1 generation. It trains the engine's weights.
    /// </summary>
    public static BenchmarkResult Run(ITrainingEngine engine, BenchmarkConfig config, BenchmarkSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(config);
        settings ??= new BenchmarkSettings();
        settings.Validate();
        if (engine.Config.VocabularySize != BenchmarkConfig.Vocabulary)
            throw new ArgumentException($"benchmark: the engine's model predicts {engine.Config.VocabularySize} tokens, the configurations {BenchmarkConfig.Vocabulary}");
        var (tokens, targets) = config.RandomBatch(settings.Seed);
        var batch = new StepBatch(tokens, targets, config.Batch, config.SeqLen) { Seed = settings.Seed };
        int step = 0;
        void Step()
        {
            float loss = engine.ForwardBackward(batch with { Step = step });
            if (!float.IsFinite(loss)) throw new InvalidOperationException($"benchmark: the loss became {loss} at step {step + 1}");
            using (StepProfiler.Time("step: clip")) engine.ClipGradNorm(Clip);
            using (StepProfiler.Time("step: adam")) engine.OptimizerStep(LearningRate);
            step++;
        }
        for (int i = 0; i < settings.Warmup; i++) Step();
        StepProfiler.Reset(); // --profile reports the timed steps only
        var timed = MedianTimer.Measure(Step, settings.Steps, warmup: 0);
        double generation = GenerationMsPerToken(engine, settings);
        double tokensPerSecond = tokens.Length / (timed.MedianMs / 1000);
        var model = engine.Config;
        return new BenchmarkResult(config.Name, model.Arch, engine.Kind, engine.Device, model.ParameterCount(), tokensPerSecond, timed.MedianMs, generation)
        {
            Gflops = tokensPerSecond * BenchmarkConfig.TrainingFlopsPerToken(model) / 1e9,
            Threads = engine.Device.Type == DeviceType.Cpu ? Blas.MaxThreads : null,
            StepTimes = timed,
        };
    }

    // Batch-1 generation with the state carried, sampled at Temperature, as BENCHMARKS.md defines it. Untimed tokens first let
    // the JIT finish the per-token path, as the training warm-up does; then the median of the passes, since one pass of a few
    // milliseconds is easily hit by another job on a shared machine.
    private static double GenerationMsPerToken(ITrainingEngine engine, BenchmarkSettings settings)
    {
        var session = engine.CreateStepModel();
        try
        {
            var state = session.CreateState();
            var logits = new float[session.VocabularySize];
            var sampler = new LogitsSampler(new SamplingOptions { Temperature = Temperature, Seed = settings.Seed });
            var one = new int[1];
            session.Feed(state, one, logits);
            void Generate(int count)
            {
                for (int i = 0; i < count; i++)
                {
                    one[0] = sampler.Sample(logits);
                    session.Feed(state, one, logits);
                }
            }
            Generate(300);
            return MedianTimer.Measure(() => Generate(settings.GenerateTokens), settings.GenerationPasses, warmup: 0).MedianMs / settings.GenerateTokens;
        }
        finally
        {
            (session as IDisposable)?.Dispose();
        }
    }
}
