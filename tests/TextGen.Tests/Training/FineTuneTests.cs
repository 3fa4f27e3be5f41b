// Transfer learning through TrainingSession, gradient norms in the history, sliding windows.
using TextGen.Text;
using TextGen.Training;
using Xunit;

namespace TextGen.Tests.Training;

public class FineTuneTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("textgen-ft-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static TrainOptions Small(string? path, int steps) => new()
    {
        EmbeddingDim = 8, HiddenSize = 24, BatchSize = 4, SeqLen = 16, LearningRate = 0.02f, Steps = steps, Minutes = null,
        EvalInterval = 10, WarmupSteps = 0, Patience = 0, CheckpointPath = path,
    };

    [Fact]
    public void A_model_pretrained_on_one_text_starts_better_on_a_related_text_and_keeps_learning()
    {
        var a = Corpus.FromString(string.Concat(Enumerable.Repeat("the king is dead, long live the king. ", 120)), "a");
        var b = Corpus.FromString(string.Concat(Enumerable.Repeat("the queen is here, long live the queen! ", 120)), "b");
        var shared = CharTokenizer.FromText(a.Text + b.Text);
        var path = Path.Combine(dir, "pre.safetensors");
        TrainingSession.Start(Small(path, 60), a, shared).Trainer.Run();

        var fromScratch = TrainingSession.Start(Small(null, 1), b, shared);
        var pretrained = TrainingSession.FineTune(ModelCheckpoint.Load(path), b, Small(null, 40));
        double scratchLoss = Evaluator.StreamLoss(fromScratch.Trainer.Engine, fromScratch.ValidationIds).Loss;
        double startLoss = Evaluator.StreamLoss(pretrained.Trainer.Engine, pretrained.ValidationIds).Loss;
        Assert.True(startLoss < scratchLoss, $"pretrained {startLoss:F3} vs scratch {scratchLoss:F3}");
        var report = pretrained.Trainer.Run();
        Assert.True(report.BestValidationLoss < startLoss, $"fine-tuned {report.BestValidationLoss:F3} vs start {startLoss:F3}");
        Assert.All(report.History, h => Assert.True(h.GradNorm > 0));
    }

    [Fact]
    public void Fine_tuning_on_text_with_new_characters_names_them()
    {
        var a = Corpus.FromString(string.Concat(Enumerable.Repeat("abc abc abc. ", 100)), "a");
        var path = Path.Combine(dir, "abc.safetensors");
        TrainingSession.Start(Small(path, 2), a).Trainer.Run();
        var ex = Assert.Throws<UnknownTokenException>(() => TrainingSession.FineTune(ModelCheckpoint.Load(path), Corpus.FromString(new string('x', 400)), Small(null, 1)));
        Assert.Contains("'x'", ex.Message);
    }

    [Fact]
    public void Sliding_windows_overlap_by_the_step_and_pair_each_window_with_its_next_token()
    {
        int[] ids = [0, 1, 2, 3, 4, 5, 6];
        var w = SlidingWindows.Create(ids, 3, 2).ToList();
        Assert.Equal(SlidingWindows.Count(7, 3, 2), w.Count);
        Assert.Equal(2, w.Count);
        Assert.Equal([0, 1, 2], w[0].Input); Assert.Equal(3, w[0].Target);
        Assert.Equal([2, 3, 4], w[1].Input); Assert.Equal(5, w[1].Target);
    }
}
