// A CUDA device over FakeCudaApi, and engines on it, for the tests that check the engine's own logic without a GPU.
using TextGen.Cuda;
using TextGen.Training;
using TextGen.Nn;
using TextGen.Optim;

namespace TextGen.Tests.Cuda;

/// <summary>A fake native layer and the <see cref="CudaDevice"/> opened over it; disposing frees the fake's memory.</summary>
internal sealed class FakeGpu : IDisposable
{
    public FakeGpu(Action<FakeCudaApi>? configure = null)
    {
        configure?.Invoke(Api);
        Device = new CudaDevice(Api, 0);
    }

    public FakeCudaApi Api { get; } = new();
    public CudaDevice Device { get; }

    /// <summary>A small LSTM the fake can hold many times over.</summary>
    public static CharRnnConfig Small { get; } = new(VocabularySize: 13, Arch: RecurrentArch.Lstm, EmbeddingDim: 6, HiddenSize: 10, NumLayers: 2);

    /// <summary>An engine on the fake device from seeded initial weights.</summary>
    public CudaEngine Engine(CharRnnConfig? config = null, Precision precision = Precision.Fp32, ulong seed = 3)
    {
        config ??= Small;
        return new CudaEngine(Device, config, GpuParity.Tensors(config, CharRnnModel.InitialParameters(config, seed)), 0.01, OptimizerKind.Adam, 0f, precision, 1337);
    }

    /// <summary>One training step through the seam on a random batch.</summary>
    public static float Step(CudaEngine engine, int batch = 4, int seqLen = 7, int step = 0)
    {
        var (tokens, targets) = GpuParity.RandomBatch(engine.Config.VocabularySize, batch, seqLen, seed: (ulong)step + 1);
        float loss = engine.ForwardBackward(new StepBatch(tokens, targets, batch, seqLen) { CarryState = false, Seed = 1, Step = step });
        engine.ClipGradNorm(1f);
        engine.OptimizerStep(0.01);
        return loss;
    }

    public void Dispose()
    {
        Device.Allocator.Dispose();
        Api.Dispose();
    }
}
