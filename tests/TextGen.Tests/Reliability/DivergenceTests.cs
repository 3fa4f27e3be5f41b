// Divergence that stays finite, end to end: the trainer stops at the first step that breaks the rule with a typed
// exception, never saves the diverged model as the best, keeps the last good one, and the CLI exits non-zero in one line.
using TextGen.Tests.Cli;
using TextGen.Tests.Training;
using TextGen.Training;
using Xunit;

namespace TextGen.Tests.Reliability;

public class DivergenceTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("textgen-diverge-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static readonly int[] Data = TrainerTests.Stream(3000);

    private static TrainOptions Small(string? checkpoint) => new()
    {
        EmbeddingDim = 8, HiddenSize = 16, BatchSize = 4, SeqLen = 12, LearningRate = 0.02f, Steps = 50, Minutes = null,
        EvalInterval = 10, WarmupSteps = 0, Patience = 0, CheckpointPath = checkpoint, Seed = 5,
    };

    private static Trainer Create(TrainOptions o, bool validation = true) =>
        TrainerFactory.Create(o, Data[..2700], validation ? Data[2700..] : [], TrainerTests.Vocab());

    [Fact]
    public void A_huge_learning_rate_without_clipping_stops_on_a_finite_loss_long_before_the_budget()
    {
        var path = Path.Combine(dir, "m.safetensors");
        var ex = Assert.Throws<TrainingDivergedException>(() => Create(Small(path) with { LearningRate = 1e6f, Clip = 0f }).Run());
        Assert.True(double.IsFinite(ex.Loss), $"the loss {ex.Loss} should be finite: this is the case the old non-finite check missed");
        Assert.InRange(ex.Step, 1, 9);   // before the first validation at step 10
        Assert.Equal(DivergenceReason.FarAboveUntrained, ex.Reason);
        Assert.True(ex.Loss > ex.Limit);
        Assert.Contains($"step {ex.Step}", ex.Message);
        Assert.Null(ex.KeptCheckpoint);
        Assert.False(File.Exists(path), "a diverged run must not leave a model behind");
    }

    [Fact]
    public void A_blow_up_in_the_update_of_an_evaluation_step_is_caught_before_it_becomes_the_best()
    {
        var path = Path.Combine(dir, "e.safetensors");
        var ex = Assert.Throws<TrainingDivergedException>(() => Create(Small(path) with { LearningRate = 1e6f, Clip = 0f, EvalInterval = 1 }).Run());
        Assert.Equal(1, ex.Step);
        Assert.Contains("validation loss after the update", ex.Message);
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(ResumeState.PathFor(path)));
    }

    [Fact]
    public void Without_validation_the_final_weights_are_judged_before_they_are_saved()
    {
        var path = Path.Combine(dir, "n.safetensors");
        var ex = Assert.Throws<TrainingDivergedException>(() => Create(Small(path) with { LearningRate = 1e6f, Clip = 0f, Steps = 1 }, validation: false).Run());
        Assert.Equal(1, ex.Step);
        Assert.Contains("final weights on the last batch", ex.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void A_run_that_diverges_after_a_good_best_keeps_that_best_byte_for_byte()
    {
        var path = Path.Combine(dir, "k.safetensors");
        var good = Small(path) with { Steps = 20 };
        Create(good).Run();
        var best = File.ReadAllBytes(path);
        var savedStep = ModelCheckpoint.Load(path).Metadata["step"];

        // The same run continued with a learning rate that explodes it.
        var resumed = TrainerFactory.Resume(ResumeState.Load(ResumeState.PathFor(path)), Data[..2700], Data[2700..],
            good with { Steps = 60, LearningRate = 1e6f, Clip = 0f });
        var ex = Assert.Throws<TrainingDivergedException>(() => resumed.Run());
        Assert.True(ex.Step > 20, $"diverged at step {ex.Step}, before the resumed part began");
        Assert.Equal(path, ex.KeptCheckpoint);
        Assert.Contains($"kept in '{path}'", ex.Message);
        Assert.Equal(best, File.ReadAllBytes(path));
        Assert.Equal(savedStep, ModelCheckpoint.Load(path).Metadata["step"]);
    }

    [Fact]
    public void A_healthy_run_is_never_judged_diverged()
    {
        var report = Create(Small(null) with { Steps = 60, LearningRate = 0.01f }).Run();
        Assert.Equal(60, report.Steps);
    }

    [Fact]
    public void The_cli_exits_non_zero_with_one_line_naming_the_step_the_loss_and_the_fix_and_saves_no_best()
    {
        var corpus = Path.Combine(dir, "corpus.txt");
        File.WriteAllText(corpus, string.Concat(Enumerable.Repeat("the cat sat on the mat. the dog ate the log.\n", 200)));
        var r = CliRunner.Run(dir, "train", "--corpus", corpus, "--hidden", "24", "--embedding-dim", "8", "--batch", "4", "--seq-len", "20",
            "--lr", "1e6", "--clip", "0", "--steps", "50", "--out", "d.safetensors");
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.Matches(@"^error: training diverged at step \d+: the loss [0-9.e+]+ nats is more than 3 × ", line);
        Assert.Contains("Likely cause: a learning rate too high", line);
        Assert.Contains("--lr", line);
        Assert.Contains("--clip 1", line);
        Assert.DoesNotContain("Best model saved", r.Stdout);
        Assert.False(File.Exists(Path.Combine(dir, "d.safetensors")));
    }
}
