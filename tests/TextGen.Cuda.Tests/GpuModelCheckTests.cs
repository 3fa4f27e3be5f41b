// What the GPU engine refuses beyond the model description's own checks, and the precisions it does not know,
// each with the way out in the message. These need no GPU.
using TextGen.Cuda;
using TextGen.Nn;
using Xunit;

namespace TextGen.Tests.Cuda;

public class GpuModelCheckTests
{
    [Fact]
    public void One_hot_models_are_refused_by_the_gpu_path_with_the_way_out()
    {
        var e = Assert.Throws<ArgumentException>(() => GpuModelCheck.EnsureSupported(new CharRnnConfig(VocabularySize: 12, EmbeddingDim: 0)));
        Assert.Contains("--embedding-dim", e.Message);
        Assert.Contains("--device cpu", e.Message);
    }

    [Theory]
    [InlineData("bf16")]
    [InlineData("fp16")]
    public void An_unknown_precision_is_refused_with_the_ones_that_exist(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => EnumNames.Parse<Precision>(name));
        Assert.Contains($"unknown precision '{name}'", e.Message);
        Assert.Contains("use fp32 or tf32", e.Message);
        Assert.Equal(Enum.GetValues<Precision>().Select(p => p.ToName()), ["fp32", "tf32"]);
    }
}
