// The rule that keeps a missing GPU from giving a green device run: without TEXTGEN_REQUIRE_GPU a GPU test skips and says
// why; with it, the same absence fails the test. No GPU needed.
using Xunit;

namespace TextGen.Tests.Cuda;

public class GpuRequirementTests
{
    [Fact]
    public void A_present_gpu_lets_the_test_run_either_way()
    {
        Assert.Null(GpuRequirement.Decide(true, "", required: false));
        Assert.Null(GpuRequirement.Decide(true, "", required: true));
    }

    [Fact]
    public void A_missing_gpu_skips_here_and_says_how_the_device_check_runs_it()
    {
        var (fail, message) = GpuRequirement.Decide(false, "no NVIDIA driver", required: false)!.Value;
        Assert.False(fail);
        Assert.Contains("no NVIDIA driver", message);
        Assert.Contains("TEXTGEN_REQUIRE_GPU=1", message);
    }

    [Fact]
    public void A_missing_gpu_or_library_fails_where_the_device_check_demands_one()
    {
        var (fail, message) = GpuRequirement.Decide(false, "no complete set of NVRTC, cuBLAS and cuDNN", required: true)!.Value;
        Assert.True(fail);
        Assert.StartsWith("TEXTGEN_REQUIRE_GPU=1 and this test needs a GPU, but no complete set", message);
    }

    [Fact]
    public void The_gpu_tests_of_this_assembly_run_one_at_a_time()
    {
        var behavior = typeof(GpuRequirement).Assembly.GetCustomAttributes(typeof(CollectionBehaviorAttribute), false).Cast<CollectionBehaviorAttribute>().Single();
        Assert.True(behavior.DisableTestParallelization);
    }
}
