// Same seed -> bit-identical losses, whatever the thread count; impossible sizes fail before training.
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
