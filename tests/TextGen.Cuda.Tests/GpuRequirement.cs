// The one rule for tests that need a GPU: here they skip and say why; on the device check, which sets TEXTGEN_REQUIRE_GPU=1,
// a missing GPU or library fails the test, so a run without a usable device can never come back green. The tests of this
// assembly run one at a time: they share one GPU, one stream and one cuBLAS and cuDNN handle.
using TextGen.Cuda;
using TextGen.Cuda.Interop;
using Xunit;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace TextGen.Tests.Cuda;

/// <summary>Skips, or on the device fails, a test whose GPU or library is missing.</summary>
public static class GpuRequirement
{
    /// <summary>The environment variable the device check sets: "1" makes every missing GPU or library a failure.</summary>
    public const string Variable = "TEXTGEN_REQUIRE_GPU";

    /// <summary>Whether this run demands a GPU.</summary>
    public static bool Required => Environment.GetEnvironmentVariable(Variable) == "1";

    /// <summary>What a test does when what it needs is missing: null when present, else whether it fails (or skips) and the message.</summary>
    public static (bool Fail, string Message)? Decide(bool present, string missing, bool required) =>
        present ? null
            : required ? (true, $"{Variable}=1 and this test needs a GPU, but {missing}")
            : (false, $"no CUDA device here ({missing}); the device check runs this test with {Variable}=1");

    /// <summary>Skips (or fails) unless the CUDA engine can run on this machine.</summary>
    public static void Device()
    {
        var report = CudaProbe.Report;
        Apply(Decide(report.IsUsable, string.Join("; ", report.Problems), Required));
    }

    /// <summary>Skips (or fails) unless a library of the set loads (<c>nvrtc</c>, <c>cublas</c>, <c>cudnn</c>).</summary>
    internal static void Library(string logicalName)
    {
        bool loaded = NativeLibraries.TryLoad(logicalName, out _, out var reason);
        Apply(Decide(loaded, reason, Required));
    }

    private static void Apply((bool Fail, string Message)? decision)
    {
        if (decision is not { } d) return;
        if (d.Fail) Assert.Fail(d.Message);
        Assert.Skip(d.Message);
    }
}
