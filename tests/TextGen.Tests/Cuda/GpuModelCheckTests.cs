// What the GPU engine refuses beyond the model description's own checks, and the precision it refuses,
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

    [Fact]
    public void Bf16_is_refused_with_the_precisions_that_work()
    {
        var e = Assert.Throws<NotSupportedException>(() => PrecisionNames.EnsureSupported(Precision.Bf16));
        Assert.Contains("use tf32 (fast) or fp32 (strict)", e.Message);
    }
}
