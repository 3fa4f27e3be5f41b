// The device-memory check's decision and message, which need no GPU: the parts are summed, compared with what
// is available, and a refusal names every part, the total, the free memory and what to reduce.
using TextGen.Cuda;
using Xunit;

namespace TextGen.Tests.Cuda;

public class DeviceMemoryCheckTests
{
    private const long GiB = 1L << 30;

    [Fact]
    public void A_plan_that_fits_passes_and_one_byte_more_is_refused_with_the_numbers()
    {
        (string, long)[] parts = [("logits", 3 * GiB), ("saved activations", 5 * GiB), ("workspace", 0)];
        DeviceMemoryCheck.EnsureFits("a training batch of 256 x 256", parts, 8 * GiB);
        var e = Assert.Throws<InsufficientMemoryException>(() => DeviceMemoryCheck.EnsureFits("a training batch of 256 x 256", parts, 8 * GiB - 1));
        Assert.Contains("a training batch of 256 x 256 needs about 8.00 GiB of GPU memory", e.Message);
        Assert.Contains("logits 3.00 GiB", e.Message);
        Assert.Contains("saved activations 5.00 GiB", e.Message);
        Assert.DoesNotContain("workspace", e.Message);
        Assert.Contains("only 8.00 GiB is free", e.Message);
        Assert.Contains("--batch", e.Message);
        Assert.Contains("--device cpu", e.Message);
    }
}
