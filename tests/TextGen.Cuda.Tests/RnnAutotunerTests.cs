// The autotuner on the fake device, whose cuDNN refuses a pass with a workspace or reserve smaller than it asked for: a
// cached choice comes with its own temporary spaces, a refused, mis-laid or too large candidate is skipped with its reason
// in the engine's log, the winner keeps only what it needs, and only when all are skipped does the choice fail, naming each.
using TextGen.Cuda;
using TextGen.Cuda.Interop;
using Xunit;

namespace TextGen.Tests.Cuda;

public sealed class RnnAutotunerTests : IDisposable
{
    private readonly FakeGpu gpu = new();

    public void Dispose() => gpu.Dispose();

    [Fact]
    public void A_second_engine_of_a_tuned_shape_gets_the_cached_setting_with_a_workspace_and_reserve_of_its_own()
    {
        using var first = gpu.Engine();
        FakeGpu.Step(first);
        int tunedPasses = gpu.Api.Forwards.Count;
        using var second = gpu.Engine();

        FakeGpu.Step(second);   // the fake's cuDNN refuses a null or short workspace, as the real one does

        Assert.Equal(first.RnnSetting, second.RnnSetting);
        Assert.Empty(second.TuningLog);                                 // no second tuning
        Assert.Equal(tunedPasses + 1, gpu.Api.Forwards.Count);
        var (algo, work, reserve) = gpu.Api.Forwards[^1];
        var need = gpu.Api.TempSizes(algo, 4 * 7, FakeGpu.Small.NumLayers);
        Assert.Equal(((nuint)need.Work, (nuint)need.Reserve), (work, reserve));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_setting_cudnn_refuses_is_skipped_with_cudnns_reason_and_the_others_still_run(bool atDescriptor)
    {
        bool Persistent(int algo, int _) => algo == CuDnn.AlgoPersistStatic;
        using var fake = new FakeGpu(api => { if (atDescriptor) api.RefuseSetting = Persistent; else api.RefuseForward = Persistent; api.PassMs = (_, _) => 0; });
        using var engine = fake.Engine();

        FakeGpu.Step(engine);

        Assert.Equal("standard+fma", engine.RnnSetting);
        Assert.Contains(engine.TuningLog, l => l.Contains("standard+fma: ") && l.EndsWith(" ms", StringComparison.Ordinal));
        Assert.Contains(engine.TuningLog, l => l.Contains("persist_static+fma skipped") && l.Contains("CUDNN_STATUS_NOT_SUPPORTED")
            && l.Contains(atDescriptor ? "cudnnSetRNNDescriptor_v8" : "cudnnRNNForward"));
        Assert.Equal(5, fake.Api.LiveDescriptors);   // dropout, the winner, x and y, h: no refused candidate left behind
    }

    [Fact]
    public void A_candidate_without_memory_for_its_saved_activations_is_skipped_not_fatal()
    {
        using var fake = new FakeGpu(api => api.TempSizes = (algo, rows, layers) => algo == CuDnn.AlgoPersistStatic ? (4096, 8L << 30) : (4096, 1024 * rows));
        using var engine = fake.Engine();

        FakeGpu.Step(engine);

        Assert.Equal("standard+fma", engine.RnnSetting);
        Assert.Contains(engine.TuningLog, l => l.Contains("persist_static+fma skipped") && l.Contains("GiB of GPU memory"));
    }

    [Fact]
    public void A_candidate_whose_workspace_the_driver_refuses_is_skipped_and_the_winner_runs_on_live_blocks_only()
    {
        // 900 MiB passes the memory check (1 GiB free), but the allocator rounds the block up to 1 GiB, which the driver refuses
        // after the smaller workspace was already returned: the property must not keep naming that returned block.
        using var fake = new FakeGpu(api => api.TempSizes = (algo, rows, layers) => algo == CuDnn.AlgoPersistStatic ? (900L << 20, 4096) : (4096, 1024 * rows));
        var engine = fake.Engine();

        FakeGpu.Step(engine);   // the fake's cuDNN refuses a workspace outside every live block
        string setting = engine.RnnSetting;
        engine.Dispose();

        Assert.Equal("standard+fma", setting);
        Assert.Contains(engine.TuningLog, l => l.Contains("persist_static+fma skipped") && l.Contains("out of GPU memory"));
        Assert.Equal(0, fake.Device.Allocator.BytesInUse);
        Assert.Equal(0, fake.Api.LiveDescriptors);
    }

    [Fact]
    public void The_winner_keeps_exactly_its_own_workspace_and_reserve_and_the_larger_candidates_memory_goes_back()
    {
        const long big = 48L << 20;
        using var fake = new FakeGpu(api =>
        {
            api.TempSizes = (algo, rows, layers) => algo == CuDnn.AlgoPersistStatic ? (big, big) : (4096, 1024 * rows);
            api.PassMs = (algo, _) => algo == CuDnn.AlgoPersistStatic ? 1.0 : 0.1;   // the larger one is slower: standard wins
        });
        using var engine = fake.Engine();

        FakeGpu.Step(engine);

        Assert.Equal("standard+fma", engine.RnnSetting);
        var (_, work, reserve) = fake.Api.Forwards[^1];
        Assert.Equal(((nuint)4096, (nuint)(1024 * 28)), (work, reserve));
        Assert.True(fake.Device.Allocator.BytesReserved < big, $"{fake.Device.Allocator.BytesReserved >> 20} MiB still held after tuning");
    }

    [Fact]
    public void A_setting_that_lays_the_weights_out_differently_is_skipped()
    {
        using var fake = new FakeGpu(api => { api.ShiftPersistentLayout = true; api.PassMs = (algo, _) => algo == CuDnn.AlgoPersistStatic ? 0 : 0.5; });
        using var engine = fake.Engine();

        FakeGpu.Step(engine);

        Assert.Equal("standard+fma", engine.RnnSetting);
        Assert.Contains(engine.TuningLog, l => l.Contains("persist_static+fma skipped") && l.Contains("lays its weights out differently"));
    }

    [Fact]
    public void Tf32_tunes_three_settings_and_the_fastest_wins()
    {
        using var fake = new FakeGpu(api => api.PassMs = (algo, math) => algo == CuDnn.AlgoPersistStatic ? 0 : 0.3);
        using var engine = fake.Engine(precision: Precision.Tf32);

        FakeGpu.Step(engine);

        Assert.Equal("persist_static+tf32", engine.RnnSetting);
        Assert.Equal(3, engine.TuningLog.Count(l => l.EndsWith(" ms", StringComparison.Ordinal)));
    }

    [Fact]
    public void When_cudnn_runs_none_of_the_settings_the_error_names_each_with_its_reason()
    {
        using var fake = new FakeGpu(api => api.RefuseForward = (_, _) => true);
        using var engine = fake.Engine();

        var e = Assert.Throws<CudaException>(() => FakeGpu.Step(engine));

        Assert.Contains("cuDNN ran none of the RNN settings", e.Message);
        Assert.Contains("standard+fma skipped", e.Message);
        Assert.Contains("persist_static+fma skipped", e.Message);
    }
}
