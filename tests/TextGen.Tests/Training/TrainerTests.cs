// The training loop: it learns, resumes exactly, stops on divergence keeping the last good checkpoint,
// and is reproducible by seed.
using TextGen.Nn;
using TextGen.Optim;
using TextGen.Tensors;
using TextGen.Training;
using TextGen.Text;
using Xunit;

namespace TextGen.Tests.Training;

public class TrainerTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("textgen-train-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    // A stream with structure a small model learns fast: "abcab cabca ..." cycles with a little noise.
    internal static int[] Stream(int n, int vocab = 6, ulong seed = 3)
    {
        var g = new Generator(seed);
        return Enumerable.Range(0, n).Select(i => g.NextFloat() < 0.05f ? g.NextInt(vocab) : i % (vocab - 1)).ToArray();
    }

    internal static TokenizerInfo Vocab(int v = 6) => new(TokenizerKind.Char, Enumerable.Range(0, v).Select(i => ((char)('a' + i)).ToString()).ToList());

    private static TrainOptions Small(string? checkpoint = null) => new()
    {
        EmbeddingDim = 8, HiddenSize = 16, BatchSize = 4, SeqLen = 12, LearningRate = 0.02f, Steps = 40, Minutes = null,
        EvalInterval = 10, WarmupSteps = 0, Patience = 0, CheckpointPath = checkpoint, Seed = 5,
    };

    [Fact]
    public void Training_lowers_the_loss_below_the_uniform_baseline()
    {
        var data = Stream(4000);
        var trainer = TrainerFactory.Create(Small(), data[..3600], data[3600..], Vocab());
        var report = trainer.Run();
        Assert.Equal(40, report.Steps);
        Assert.NotNull(report.BestValidationLoss);
        Assert.True(report.BestValidationLoss < 0.6 * Math.Log(6), $"best validation {report.BestValidationLoss} vs ln 6 = {Math.Log(6):F3}");
        Assert.Equal(StopReason.BudgetReached, report.StopReason);
    }

    [Fact]
    public void Same_seed_gives_the_same_losses()
    {
        var data = Stream(3000);
        var a = TrainerFactory.Create(Small() with { Steps = 15 }, data[..2700], data[2700..], Vocab()).Run();
        var b = TrainerFactory.Create(Small() with { Steps = 15 }, data[..2700], data[2700..], Vocab()).Run();
        Assert.Equal(a.History.Select(h => h.TrainLoss), b.History.Select(h => h.TrainLoss));
    }

    [Theory]
    [InlineData(true, 0f)]
    [InlineData(false, 0.2f)]
    public void Half_run_saved_and_resumed_ends_with_the_same_weights_as_a_straight_run(bool stateful, float dropout)
    {
        var data = Stream(3000);
        var opts = Small(Path.Combine(dir, "m.safetensors")) with { Steps = 20, Stateful = stateful, Dropout = dropout, NumLayers = 2 };
        var straight = TrainerFactory.Create(opts with { CheckpointPath = Path.Combine(dir, "s.safetensors") }, data[..2700], data[2700..], Vocab());
        straight.Run();

        // Interrupted halfway through the same 20-step run (same schedule), then resumed from its file.
        var first = TrainerFactory.Create(opts, data[..2700], data[2700..], Vocab());
        using var cts = new CancellationTokenSource();
        first.Run(new SyncProgress(p => { if (p.Step == 10) cts.Cancel(); }), cts.Token);
        var saved = ResumeState.Load(ResumeState.PathFor(opts.CheckpointPath!));
        var second = TrainerFactory.Resume(saved, data[..2700], data[2700..], opts);
        var report = second.Run();

        Assert.Equal(20, report.Steps);
        var resumed = second.Engine.ExportParameters().ToDictionary(p => p.Key, p => p.Value);
        foreach (var (name, p) in straight.Engine.ExportParameters())
            Assert.True(p.Data.AsSpan().SequenceEqual(resumed[name].Data), $"{name} differs after resume");
    }

    [Fact]
    public void Huge_learning_rate_stops_with_the_step_and_advice_and_keeps_the_last_good_checkpoint()
    {
        var data = Stream(3000);
        var path = Path.Combine(dir, "d.safetensors");
        var ok = TrainerFactory.Create(Small(path) with { Steps = 10 }, data[..2700], data[2700..], Vocab());
        ok.Run();
        var before = File.ReadAllBytes(path);
        var opts = Small(path) with { Arch = RecurrentArch.RnnRelu, LearningRate = 100f, Clip = 0f, Optimizer = OptimizerKind.Sgd, Momentum = 0f, Steps = 200, EvalInterval = 1000 };
        var bad = TrainerFactory.Create(opts, data[..2700], data[2700..], Vocab());
        var ex = Assert.Throws<TrainingDivergedException>(() => bad.Run());
        Assert.Matches(@"diverged at step \d+", ex.Message);
        Assert.Contains("--lr", ex.Message);
        Assert.Contains("--clip", ex.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(6, ModelCheckpoint.Load(path).Model.VocabularySize);
    }

    [Fact]
    public void Cancellation_stops_and_saves_a_resume_state()
    {
        var data = Stream(3000);
        var path = Path.Combine(dir, "c.safetensors");
        using var cts = new CancellationTokenSource();
        var trainer = TrainerFactory.Create(Small(path) with { Steps = 1000 }, data[..2700], data[2700..], Vocab());
        var progress = new SyncProgress(p => { if (p.Step == 7) cts.Cancel(); });
        var report = trainer.Run(progress, cts.Token);
        Assert.Equal(StopReason.Cancelled, report.StopReason);
        Assert.Equal(7, report.Steps);
        Assert.Equal(7, ResumeState.Load(ResumeState.PathFor(path)).Cursor.Step);
    }

    [Fact]
    public void Too_short_corpus_names_the_sizes_and_the_fix()
    {
        var ex = Assert.Throws<ArgumentException>(() => TrainerFactory.Create(Small(), Stream(30), Stream(10), Vocab()));
        Assert.Contains("30 tokens", ex.Message);
        Assert.Contains("--seq-len", ex.Message);
    }

    private sealed class SyncProgress(Action<TrainingProgress> action) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => action(value);
    }
}
