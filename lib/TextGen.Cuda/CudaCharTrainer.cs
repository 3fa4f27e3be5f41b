// The CUDA engine's device side: the model's parameters in one flat device buffer laid out by cuDNN's weight space, the
// gradients and Adam's moments beside them (made on the first training call, so generation builds no optimizer state),
// the carried state, and the optimizer step. The passes themselves are in CudaCharTrainer.Passes.cs.
using TextGen.Cuda.Interop;
using TextGen.Nn;

namespace TextGen.Cuda;

/// <summary>Keeps a <see cref="CharRnnConfig"/> model's parameters, gradients and Adam's moments on the GPU; <see cref="CudaEngine"/> is its only caller.</summary>
/// <remarks>The gradients and both moments are one buffer of three equal parts laid out by <see cref="FlatParameterLayout"/>, so zeroing
/// the gradients, their norm and the Adam update are one launch each. Every call takes the device for its duration.</remarks>
internal sealed partial class CudaCharTrainer : IDisposable
{
    private readonly CudaDevice device;
    private readonly CudaTrainerOptions options;
    private readonly FlatParameterLayout layout;
    private readonly DeviceBuffer<float> parameters;  // layout.Count floats
    private DeviceBuffer<float> optimizer;            // [gradients | m | v], each layout.Count floats; empty until the first training call
    private readonly DeviceBuffer<float> scalars;     // [loss sum, squared gradient norm]
    private readonly DeviceBuffer<byte> dropoutStates;
    private readonly IntPtr dropout;
    private readonly float[] hostScalars = new float[2];
    private readonly List<CudaStepModel> stepModels = [];
    private bool disposed;

    /// <summary>Uploads <paramref name="parameters"/> (PyTorch names and layouts) to <paramref name="device"/>.</summary>
    public CudaCharTrainer(CudaDevice device, CharRnnConfig config, IReadOnlyDictionary<string, float[]> parameters, CudaTrainerOptions options)
    {
        GpuModelCheck.EnsureSupported(config);
        config.ValidateParameters(parameters);
        this.device = device;
        this.options = options;
        Config = config;
        using var scope = device.Use();
        var api = device.Api;
        var alloc = device.Allocator;
        try
        {
            dropout = api.cudnnCreateDropoutDescriptor();
            nuint stateBytes = api.cudnnDropoutGetStatesSize(device.DnnHandle);
            dropoutStates = alloc.Allocate<byte>((long)stateBytes);
            api.cudnnSetDropoutDescriptor(dropout, device.DnnHandle, config.Dropout, dropoutStates.Pointer, stateBytes, options.Seed);
            // The layout comes from the STANDARD algorithm; the autotuner only accepts candidates that lay weights out the same way.
            using var reference = new CudnnRnnDescriptor(device, config, CuDnn.AlgoStandard, RnnAutotuner.Candidates(Precision)[0].Math, dropout);
            long spaceFloats = reference.WeightSpaceBytes / sizeof(float);
            long count = new FlatParameterLayout(config, spaceFloats, []).Count;
            DeviceMemoryCheck.EnsureFits($"a {config.NumLayers} x {config.HiddenSize} {config.Arch} model", [("parameters", count * sizeof(float))], alloc.AvailableBytes());
            this.parameters = alloc.Allocate<float>(count);
            layout = new FlatParameterLayout(config, spaceFloats, reference.Regions(this.parameters.Pointer));
            layout.CheckCoverage();
            this.parameters.CopyFrom(device, layout.Pack(parameters));
            scalars = alloc.Allocate<float>(2);
        }
        catch
        {
            Release();
            throw;
        }
    }

    /// <summary>The model's shape.</summary>
    public CharRnnConfig Config { get; }

    /// <summary>The GPU's name.</summary>
    public string DeviceName => device.Name;

    /// <summary>The arithmetic in use.</summary>
    public Precision Precision => options.Precision;

    /// <summary>Number of optimizer steps taken (Adam's t).</summary>
    public int StepCount { get; private set; }

    /// <summary>cuDNN's algorithm and math chosen for the latest shape, e.g. <c>persist_static+tf32</c>; empty before the first step.</summary>
    public string RnnSetting => rnn?.Label ?? "";

    /// <summary>Whether the gradients and Adam's moments exist on the device yet (the first training call makes them).</summary>
    public bool HasOptimizerState => optimizer.Pointer != IntPtr.Zero;

    private long Count => layout.Count;
    private IntPtr Gradients => optimizer.Pointer;

    /// <summary>
    /// clip_grad_norm_'s factor for a measured <paramref name="norm"/>: <c>maxNorm / (norm + 1e-6)</c> when below 1, else 1 (as
    /// <see cref="Optim.GradientClipping"/>); an infinite <paramref name="maxNorm"/> only measures. NaN for a NaN or infinite norm:
    /// no factor makes such gradients usable, and <see cref="Step"/> refuses it.
    /// </summary>
    public static float ClipScale(double norm, float maxNorm)
    {
        if (!double.IsFinite(norm)) return float.NaN;
        if (float.IsPositiveInfinity(maxNorm)) return 1f;
        float coef = (float)(maxNorm / (norm + 1e-6));
        return coef < 1f ? coef : 1f;
    }

    /// <summary>The global L2 norm of the current gradients (0 before any backward pass).</summary>
    public double GradientNorm()
    {
        using var scope = Enter();
        if (!HasOptimizerState) return 0;
        scalars.Fill(device, 0, offset: 1, count: 1);
        new KernelArgs().Add(Gradients).Add(Count).Add(scalars.At(1)).Launch(device, device.Kernels.SumOfSquares, (device.GridFor(Count), 1), (256, 1));
        scalars.CopyTo(device, hostScalars);
        return Math.Sqrt(hostScalars[1]);
    }

    /// <summary>One Adam (or AdamW) step at <paramref name="lr"/> on the gradients scaled by <paramref name="gradientScale"/> (<see cref="ClipScale"/>).</summary>
    /// <exception cref="InvalidOperationException">The scale is not a number in (0, 1]: the norm it came from was NaN or infinite.</exception>
    public void Step(double lr, float gradientScale)
    {
        if (!(lr >= 0)) throw new ArgumentOutOfRangeException(nameof(lr), lr, "the learning rate must be a non-negative number");
        if (!(gradientScale > 0 && gradientScale <= 1))
            throw new InvalidOperationException($"the gradient norm is not finite (clipping factor {gradientScale}): an update would write NaN or ∞ into every weight, so the " +
                "CUDA engine refuses the step; the trainer stops such a run as diverged (lower the learning rate, or clip)");
        using var scope = Enter();
        if (!HasOptimizerState) return;   // no gradients yet: nothing to apply, as an optimizer skips parameters without one
        StepCount++;
        // As TextGen's AdamKernel and PyTorch: the scalars in double, then float32.
        var adam = options.Adam;
        float stepSize = (float)(lr / (1 - Math.Pow(adam.Beta1, StepCount)));
        float bc2Sqrt = (float)Math.Sqrt(1 - Math.Pow(adam.Beta2, StepCount));
        float l2 = adam.Decoupled ? 0f : adam.WeightDecay;
        float decay = adam.Decoupled ? (float)(1 - lr * adam.WeightDecay) : 1f;
        new KernelArgs().Add(parameters.Pointer).Add(Gradients).Add(optimizer.At(Count)).Add(optimizer.At(2 * Count)).Add(Count).Add(gradientScale)
            .Add(stepSize).Add(adam.Beta1).Add(adam.Beta2).Add(adam.Eps).Add(bc2Sqrt).Add(l2).Add(decay)
            .Launch(device, device.Kernels.AdamStep, (device.GridFor(Count), 1), (256, 1));
    }

    /// <summary>Overwrites the parameters from PyTorch-named arrays; the optimizer's moments are kept.</summary>
    public void ImportParameters(IReadOnlyDictionary<string, float[]> values)
    {
        using var scope = Enter();
        parameters.CopyFrom(device, layout.Pack(values));
        device.Synchronize();
    }

    /// <summary>The parameters, copied back under PyTorch's names and layouts.</summary>
    public Dictionary<string, float[]> ExportParameters()
    {
        using var scope = Enter();
        return Export(parameters, 0);
    }

    /// <summary>The gradients of the last backward pass, under the parameters' names (before clipping; zeros before any).</summary>
    public Dictionary<string, float[]> ExportGradients()
    {
        using var scope = Enter();
        return HasOptimizerState ? Export(optimizer, 0) : layout.Unpack(new float[Count]);
    }

    /// <summary>Adam's first and second moments under the parameters' names.</summary>
    public (Dictionary<string, float[]> ExpAvg, Dictionary<string, float[]> ExpAvgSq) ExportMoments()
    {
        using var scope = Enter();
        if (!HasOptimizerState) { var zeros = layout.Unpack(new float[Count]); return (zeros, layout.Unpack(new float[Count])); }
        return (Export(optimizer, Count), Export(optimizer, 2 * Count));
    }

    /// <summary>Restores Adam's moments (null: zeros, as before the first step) and its step count.</summary>
    public void ImportMoments(IReadOnlyDictionary<string, float[]>? expAvg, IReadOnlyDictionary<string, float[]>? expAvgSq, int stepCount)
    {
        using var scope = Enter();
        EnsureOptimizerState();
        if (expAvg is null) optimizer.Fill(device, 0, Count, Count);
        else optimizer.CopyFrom(device, layout.Pack(expAvg), Count);
        if (expAvgSq is null) optimizer.Fill(device, 0, 2 * Count, Count);
        else optimizer.CopyFrom(device, layout.Pack(expAvgSq), 2 * Count);
        device.Synchronize();
        StepCount = stepCount;
    }

    /// <summary>A batch-1 step model over a device copy of the current parameters; this trainer frees it when disposed, if its user has not.</summary>
    public CudaStepModel CreateStepModel()
    {
        using var scope = Enter();
        var model = new CudaStepModel(device, layout, parameters);
        stepModels.Add(model);
        return model;
    }

    private Dictionary<string, float[]> Export(DeviceBuffer<float> buffer, long offset)
    {
        var host = new float[Count];
        buffer.CopyTo(device, host, offset);
        return layout.Unpack(host);
    }

    // The gradients and moments, zeroed, on the first call that needs them.
    private void EnsureOptimizerState()
    {
        if (HasOptimizerState) return;
        DeviceMemoryCheck.EnsureFits($"training a {Config.NumLayers} x {Config.HiddenSize} {Config.Arch} model", [
            ("gradients", Count * sizeof(float)),
            ("Adam's two moments", 2 * Count * sizeof(float)),
        ], device.Allocator.AvailableBytes());
        optimizer = device.Allocator.Allocate<float>(3 * Count);
        optimizer.Fill(device, 0);
    }

    private Lock.Scope Enter()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return device.Use();
    }

    /// <summary>Returns the device memory to the allocator's cache and frees the cuDNN descriptors (step models made here included).</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        using var scope = device.Use();
        Release();
    }

    // Everything this trainer holds; safe on a part-built instance, since freeing a default buffer or a null descriptor does nothing.
    private void Release()
    {
        foreach (var model in stepModels) model.Dispose();
        ReleasePasses();
        if (dropout != IntPtr.Zero) device.Api.cudnnDestroyDropoutDescriptor(dropout);
        device.Allocator.Free(parameters);
        device.Allocator.Free(optimizer);
        device.Allocator.Free(scalars);
        device.Allocator.Free(dropoutStates);
        optimizer = default;
    }
}
