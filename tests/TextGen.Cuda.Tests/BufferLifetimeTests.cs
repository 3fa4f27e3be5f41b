// Descriptor and buffer lifetimes on the fake device: a shape is built whole or not at all, a failed shape change leaves no
// field pointing at freed memory (the next call builds again, Dispose frees once), and an engine gives back all it held.
using TextGen.Cuda;
using TextGen.Training;
using TextGen.Cuda.Interop;
using TextGen.Nn;
using Xunit;

namespace TextGen.Tests.Cuda;

public sealed class BufferLifetimeTests : IDisposable
{
    private readonly FakeGpu gpu = new();

    public void Dispose() => gpu.Dispose();

    [Fact]
    public void A_shape_the_device_cannot_hold_is_refused_before_any_descriptor_or_block_is_made()
    {
        gpu.Api.TotalBytes = 64 << 20;
        int descriptors = gpu.Api.LiveDescriptors;

        var e = Assert.Throws<InsufficientMemoryException>(() => new TrainingBuffers(gpu.Device, FakeGpu.Small, 4096, 4096));

        Assert.Contains("a training batch of 4096 x 4096", e.Message);
        Assert.Equal(descriptors, gpu.Api.LiveDescriptors);
        Assert.Equal(0, gpu.Device.Allocator.BytesInUse);
    }

    [Fact]
    public void An_allocation_failing_part_way_through_a_shape_frees_the_descriptors_and_blocks_made_before_it()
    {
        int descriptors = gpu.Api.LiveDescriptors;
        gpu.Api.AllocationsLeft = 4;

        var e = Assert.Throws<CudaException>(() => new TrainingBuffers(gpu.Device, FakeGpu.Small, 4, 7));

        Assert.Contains("out of GPU memory", e.Message);
        Assert.Equal(descriptors, gpu.Api.LiveDescriptors);
        Assert.Equal(0, gpu.Device.Allocator.BytesInUse);
    }

    [Fact]
    public void A_failed_shape_change_leaves_the_engine_able_to_train_and_to_dispose_once()
    {
        var engine = gpu.Engine();
        FakeGpu.Step(engine, 4, 7);
        var (tokens, targets) = GpuParity.RandomBatch(13, 8, 9, seed: 2);

        gpu.Api.AllocationsLeft = 3;                                          // the new shape runs out of memory while it is built
        Assert.Throws<CudaException>(() => engine.ForwardBackward(new StepBatch(tokens, targets, 8, 9) { CarryState = false, Seed = 1, Step = 1 }));
        gpu.Api.AllocationsLeft = null;
        gpu.Api.RefuseSetting = (_, _) => true;                               // then cuDNN takes none of the autotuner's settings
        Assert.Throws<CudaException>(() => engine.ForwardBackward(new StepBatch(tokens, targets, 8, 9) { CarryState = false, Seed = 1, Step = 1 }));
        gpu.Api.RefuseSetting = (_, _) => false;

        FakeGpu.Step(engine, 4, 7, step: 2);                                  // the old shape is built again, from nothing freed twice
        engine.Dispose();
        engine.Dispose();

        Assert.Equal(0, gpu.Device.Allocator.BytesInUse);
        Assert.Equal(0, gpu.Api.LiveDescriptors);
    }

    [Fact]
    public void An_engine_that_trained_evaluated_and_generated_gives_back_every_block_and_descriptor()
    {
        var config = FakeGpu.Small with { Dropout = 0.2f };
        var engine = gpu.Engine(config);
        for (int i = 0; i < 3; i++) FakeGpu.Step(engine, 4, 7, step: i);
        FakeGpu.Step(engine, 2, 5, step: 3);
        var ids = GpuParity.RandomBatch(13, 6, 7, seed: 9).Tokens;
        engine.EvaluateLoss(ids, ids, 6, 7, continueState: false);
        engine.EvaluateLoss(ids.AsSpan(0, 6 * 3), ids.AsSpan(0, 6 * 3), 6, 3, continueState: true);
        var step = engine.CreateStepModel();
        step.Feed(step.CreateState(), [1, 2, 3], new float[13]);
        engine.ForwardBackward(new StepBatch(ids, ids, 6, 7) { CarryState = true, Seed = 1, Step = 4 });
        Assert.NotNull(engine.CarriedState);

        engine.Dispose();

        Assert.Equal(0, gpu.Device.Allocator.BytesInUse);
        Assert.Equal(0, gpu.Api.LiveDescriptors);
        Assert.Throws<ObjectDisposedException>(() => step.Feed(step.CreateState(), [1], new float[13]));
        Assert.Throws<ObjectDisposedException>(() => engine.ForwardBackward(new StepBatch(ids, ids, 6, 7) { CarryState = false, Seed = 1, Step = 5 }));
    }
}
