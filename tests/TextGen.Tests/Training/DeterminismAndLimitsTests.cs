// Same seed -> bit-identical losses, whatever the thread count: a claim on a step-budgeted run reads the same numbers in
// CI as on a learner's laptop (of the same vector width: see docs/LESSONS.md). Impossible sizes fail before training.
using TextGen.Tensors;
using TextGen.Training;
using Xunit;
using TextGen.Tensors.Kernels;

namespace TextGen.Tests.Training;

[Collection("Blas threads")] // changes Blas.MaxThreads
public class DeterminismAndLimitsTests
{
    private static TrainOptions Options => new()
    {
        EmbeddingDim = 16, HiddenSize = 96, BatchSize = 16, SeqLen = 40, Steps = 6, Minutes = null, EvalInterval = 3, Dropout = 0.1f, NumLayers = 2,
    };

    [Fact]
    public void Same_seed_gives_bit_identical_losses_on_one_and_two_threads()
    {
        var data = TrainerTests.Stream(20_000, 12);
        int saved = Blas.MaxThreads;
        try
        {
            Blas.MaxThreads = 1;
            var one = TrainerFactory.Create(Options, data[..18_000], data[18_000..], TrainerTests.Vocab(12)).Run();
            Blas.MaxThreads = 2;
            var two = TrainerFactory.Create(Options, data[..18_000], data[18_000..], TrainerTests.Vocab(12)).Run();
            Assert.Equal(one.History.Select(h => h.TrainLoss), two.History.Select(h => h.TrainLoss));
            Assert.Equal(one.BestValidationLoss, two.BestValidationLoss);
        }
        finally { Blas.MaxThreads = saved; }
    }

    /// <summary>What a step-budgeted run produces that a claim could read: every training loss, every validation loss, the final weights, and the logits of 300 generation steps.</summary>
    private static (float[] Train, float?[] Validation, float[] Weights, float[] Logits) Run(TrainOptions options, int[] data, int vocab)
    {
        var trainer = TrainerFactory.Create(options, data[..20_000], data[20_000..], TrainerTests.Vocab(vocab));
        var report = trainer.Run();
        var model = trainer.ExportModel();
        var weights = model.Parameters().SelectMany(p => p.Data).ToArray();
        var session = new TextGen.Nn.StepSession(model);
        var state = session.CreateState();
        var logits = new float[300 * vocab];
        for (int t = 0; t < 300; t++) session.Feed(state, [data[t]], logits.AsSpan(t * vocab, vocab));
        return ([.. report.History.Select(h => h.TrainLoss)], [.. report.History.Select(h => h.ValidationLoss)], weights, logits);
    }

    [Theory]
    [InlineData(TextGen.Nn.RecurrentArch.Lstm, 32)]
    [InlineData(TextGen.Nn.RecurrentArch.Gru, 32)]
    [InlineData(TextGen.Nn.RecurrentArch.Rnn, 0)]     // one-hot inputs take the token layer's other path
    public void A_step_budgeted_run_gives_the_same_bits_on_one_two_and_four_threads_however_the_batch_is_split(TextGen.Nn.RecurrentArch arch, int embedding)
    {
        // Large enough that every product, the time loop's row blocks (batch 32 split into 1, 2 or 4 blocks of whole
        // micro-panels), the cross-entropy and batch-1 generation (two threads from 64k recurrent weights) run split;
        // 2 and 4 threads run twice, since the order in which threads finish changes from run to run.
        const int vocab = 12;
        var data = TrainerTests.Stream(24_000, vocab, seed: 11);
        var options = new TrainOptions
        {
            Arch = arch, EmbeddingDim = embedding, HiddenSize = 160, NumLayers = 2, Dropout = 0.1f, BatchSize = 32, SeqLen = 50,
            Steps = 4, Minutes = null, EvalInterval = 2, EvalTokens = 3_000, Patience = 0, Seed = 7,
        };
        int saved = Blas.MaxThreads;
        try
        {
            Blas.MaxThreads = 1;
            var one = Run(options, data, vocab);
            Assert.All(one.Train, l => Assert.True(float.IsFinite(l)));
            Assert.Equal(2, one.Validation.Count(v => v is not null));
            foreach (int threads in new[] { 2, 4, 2, 4 })
            {
                Blas.MaxThreads = threads;
                var other = Run(options, data, vocab);
                Assert.Equal(one.Train, other.Train);
                Assert.Equal(one.Validation, other.Validation);
                Assert.True(one.Weights.AsSpan().SequenceEqual(other.Weights), $"{threads} threads: the weights after 4 steps differ");
                Assert.True(one.Logits.AsSpan().SequenceEqual(other.Logits), $"{threads} threads: the generation logits differ");
            }
        }
        finally { Blas.MaxThreads = saved; }
    }

    [Fact]
    public void A_model_that_cannot_fit_fails_before_training_with_the_estimate_and_the_fix()
    {
        var data = TrainerTests.Stream(5_000, 12);
        var huge = Options with { HiddenSize = 200_000, NumLayers = 3 };
        var ex = Assert.Throws<InsufficientMemoryException>(() => TrainerFactory.Create(huge, data[..4_000], data[4_000..], TrainerTests.Vocab(12)));
        Assert.Contains("GB", ex.Message);
        Assert.Contains("available", ex.Message);
        Assert.Contains("--hidden", ex.Message);
    }
}
