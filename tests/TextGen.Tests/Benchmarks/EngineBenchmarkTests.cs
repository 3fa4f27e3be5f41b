// The library's benchmark drives an engine only through the seam: each timed step is ForwardBackward, ClipGradNorm and
// OptimizerStep in that order, generation feeds the engine's own step model one token at a time, and the figures it
// reports follow from what it timed. TextGen's engine and TorchSharp's run the same benchmark.
using TextGen.Benchmarks;
using TextGen.Generation;
using TextGen.Nn;
using TextGen.Optim;
using TextGen.Tensors;
using TextGen.Tensors.Kernels;
using TextGen.TorchSharp;
using TextGen.Training;
using Xunit;

namespace TextGen.Tests.Benchmarks;

[Collection("Blas threads")] // the result reports Blas.MaxThreads, which other tests in this collection change
public class EngineBenchmarkTests
{
    // A configuration small enough for a test: the benchmark's vocabulary, 4 sequences of 10 tokens.
    private static readonly BenchmarkConfig Tiny = new("tiny", new CharRnnConfig(BenchmarkConfig.Vocabulary, RecurrentArch.Lstm, 8, 16, 1), Batch: 4, SeqLen: 10);

    /// <summary>An engine that logs each call of the seam and counts the tokens its step models are fed.</summary>
    private sealed class RecordingEngine(ITrainingEngine inner) : ITrainingEngine
    {
        public List<string> Calls { get; } = [];
        public List<StepBatch> Batches { get; } = [];
        public CountingStepModel? StepModel { get; private set; }
        public EngineKind Kind => inner.Kind;
        public Device Device => inner.Device;
        public CharRnnConfig Config => inner.Config;
        public RecurrentState? CarriedState { get => inner.CarriedState; set => inner.CarriedState = value; }

        public float ForwardBackward(StepBatch batch)
        {
            Calls.Add("forward-backward");
            Batches.Add(batch);
            return inner.ForwardBackward(batch);
        }

        public double ClipGradNorm(float maxNorm)
        {
            Calls.Add($"clip {maxNorm}");
            return inner.ClipGradNorm(maxNorm);
        }

        public void OptimizerStep(double learningRate)
        {
            Calls.Add($"step {(float)learningRate}");
            inner.OptimizerStep(learningRate);
        }

        public float EvaluateLoss(ReadOnlySpan<int> inputs, ReadOnlySpan<int> targets, int batch, int seqLen, bool continueState) =>
            throw new InvalidOperationException("the benchmark does not evaluate");
        public IReadOnlyList<KeyValuePair<string, Tensor>> ExportParameters() => inner.ExportParameters();
        public void ImportParameters(IReadOnlyDictionary<string, Tensor> parameters) => inner.ImportParameters(parameters);
        public OptimizerState ExportOptimizerState() => inner.ExportOptimizerState();
        public void ImportOptimizerState(OptimizerState state) => inner.ImportOptimizerState(state);
        public IStepModel CreateStepModel() => StepModel = new CountingStepModel(inner.CreateStepModel());
        public void Dispose() => inner.Dispose();
    }

    [Fact]
    public void Each_step_goes_through_the_seam_and_generation_through_the_engines_step_model()
    {
        using var engine = new RecordingEngine(EngineBenchmark.CreateEngine(Tiny, RecurrentArch.Gru, seed: 5));
        var settings = new BenchmarkSettings(Steps: 3, Warmup: 2, GenerateTokens: 40, GenerationPasses: 2, Seed: 5);

        var result = EngineBenchmark.Run(engine, Tiny, settings);

        string[] step = ["forward-backward", $"clip {EngineBenchmark.Clip}", $"step {EngineBenchmark.LearningRate}"];
        Assert.Equal(Enumerable.Repeat(step, 5).SelectMany(s => s), engine.Calls);
        Assert.Equal(Enumerable.Range(0, 5), engine.Batches.Select(b => b.Step));
        Assert.All(engine.Batches, b => Assert.True(b is { Batch: 4, SeqLen: 10, CarryState: false, Seed: 5 } && b.Inputs.Length == 40 && b.Targets.Length == 40));
        // One token to start, 300 untimed, then the timed passes, always one token a call.
        Assert.Equal(1 + 300 + 2 * 40, engine.StepModel!.TokensFed);
        Assert.Equal(engine.StepModel.TokensFed, engine.StepModel.Calls);

        Assert.Equal(("tiny", RecurrentArch.Gru, EngineKind.TextGen, Device.Cpu), (result.Config, result.Arch, result.Engine, result.Device));
        Assert.Equal((Tiny.Shape with { Arch = RecurrentArch.Gru }).ParameterCount(), result.Parameters);
        Assert.Equal(3, result.StepTimes!.Repeats);
        Assert.Equal(result.StepTimes.MedianMs, result.MedianStepMs);
        Assert.Equal(40 / (result.MedianStepMs / 1000), result.TokensPerSecond, 1e-9 * result.TokensPerSecond);
        Assert.Equal(result.TokensPerSecond * BenchmarkConfig.TrainingFlopsPerToken(Tiny.Model(RecurrentArch.Gru)) / 1e9, result.Gflops, 1e-9 * result.Gflops);
        Assert.Equal(Blas.MaxThreads, result.Threads);
        Assert.True(result.GenerationMsPerToken > 0);
        Assert.Equal("fp32", result.Precision);
    }

    [Fact]
    public void The_steps_train_the_engines_weights_as_the_trainer_would()
    {
        // The same model, optimizer and batch by hand: the benchmark's steps are the Trainer's steps, not a shortcut.
        using var engine = EngineBenchmark.CreateEngine(Tiny, RecurrentArch.Lstm, seed: 9);
        EngineBenchmark.Run(engine, Tiny, new BenchmarkSettings(Steps: 2, Warmup: 1, GenerateTokens: 1, GenerationPasses: 1, Seed: 9));

        var model = new CharRnnModel(Tiny.Model(RecurrentArch.Lstm), seed: 9);
        using var reference = new TextGenEngine(model, new Adam(model.Parameters(), EngineBenchmark.LearningRate));
        var (tokens, targets) = Tiny.RandomBatch(9);
        for (int s = 0; s < 3; s++)
        {
            reference.ForwardBackward(new StepBatch(tokens, targets, Tiny.Batch, Tiny.SeqLen) { Seed = 9, Step = s });
            reference.ClipGradNorm(EngineBenchmark.Clip);
            reference.OptimizerStep(EngineBenchmark.LearningRate);
        }
        var expected = reference.ExportParameters().ToDictionary(p => p.Key, p => p.Value);
        foreach (var (name, p) in engine.ExportParameters()) Assert.Equal(expected[name].Data, p.Data);
    }

    [Fact]
    public void TextGen_and_TorchSharp_run_the_same_benchmark()
    {
        TorchSharpRuntime.EnsureLoaded();
        var settings = new BenchmarkSettings(Steps: 2, Warmup: 1, GenerateTokens: 20, GenerationPasses: 1);
        var ours = EngineBenchmark.Run(Tiny, RecurrentArch.Lstm, null, settings);
        var theirs = EngineBenchmark.Run(Tiny, RecurrentArch.Lstm, new TrainOptions { Engine = EngineKind.TorchSharp }, settings);

        Assert.Equal((EngineKind.TextGen, EngineKind.TorchSharp), (ours.Engine, theirs.Engine));
        Assert.Equal(ours.Parameters, theirs.Parameters);
        Assert.Equal(BenchmarkConfig.TrainingFlopsPerToken(Tiny.Model(RecurrentArch.Lstm)), theirs.Gflops / theirs.TokensPerSecond * 1e9, 1e-6);
        Assert.All([ours, theirs], r => Assert.True(r.TokensPerSecond > 0 && r.GenerationMsPerToken > 0 && r.Device == Device.Cpu));
    }

    [Theory]
    [InlineData(0, 1, 1, 1, "timed steps")]
    [InlineData(1, -1, 1, 1, "warm-up steps")]
    [InlineData(1, 0, 0, 1, "generated tokens")]
    [InlineData(1, 0, 1, 0, "generation passes")]
    public void Settings_out_of_range_are_refused_with_what_is_wrong(int steps, int warmup, int tokens, int passes, string named)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => EngineBenchmark.Run(Tiny, RecurrentArch.Rnn, null, new BenchmarkSettings(steps, warmup, tokens, passes)));
        Assert.Contains(named, e.Message);
    }
}
