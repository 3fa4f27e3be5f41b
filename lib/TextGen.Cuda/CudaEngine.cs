// TextGen's engine on a GPU behind the trainer's seam: CudaCharTrainer's device buffers hold the weights, gradients and
// Adam's moments, which cross to the CPU only as PyTorch-named tensors (checkpoints, resume files); generation's logits too.
using System.Runtime.CompilerServices;
using TextGen.Cuda.Interop;
using TextGen.Nn;
using TextGen.Optim;
using TextGen.Tensors;
using TextGen.Training;

namespace TextGen.Cuda;

/// <summary>The <see cref="EngineKind.TextGen"/> engine on <see cref="DeviceType.Cuda"/>: the CUDA backend's one public way in.</summary>
/// <remarks>Training, evaluation, state exchange and generation (<see cref="CreateStepModel"/>) all go through <see cref="ITrainingEngine"/>;
/// the gradients and Adam's moments are made on the first training call, so an engine that only generates holds the weights alone.</remarks>
public sealed class CudaEngine : ITrainingEngine
{
    private readonly CudaCharTrainer trainer;
    private readonly AdamSettings adam;
    private readonly List<string> tuningLog = [];
    private double learningRate;
    private float pendingScale = 1f;                       // clip_grad_norm_'s factor for the next step, NaN after a non-finite norm

    /// <summary>Uploads <paramref name="parameters"/> and prepares Adam (or AdamW, with <paramref name="decoupled"/>) with the given decay.</summary>
    /// <exception cref="CudaUnavailableException">No usable GPU, driver or library; the message names what is missing.</exception>
    public CudaEngine(CharRnnConfig config, IReadOnlyDictionary<string, Tensor> parameters, double learningRate, float weightDecay = 0f,
        bool decoupled = false, Precision precision = Precision.Fp32, ulong seed = 1337)
        : this(null, config, parameters, learningRate, decoupled ? OptimizerKind.AdamW : OptimizerKind.Adam, weightDecay, precision, seed)
    {
    }

    /// <summary>The same on <paramref name="device"/> (GPU 0 when null): the tests give a device over a fake of the native calls.</summary>
    internal CudaEngine(CudaDevice? device, CharRnnConfig config, IReadOnlyDictionary<string, Tensor> parameters, double learningRate,
        OptimizerKind optimizer, float weightDecay, Precision precision, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        GpuModelCheck.EnsureSupported(config);
        var host = Unwrap(config, parameters);
        // The kernel's Adam runs with the settings TextGen's own Adam or AdamW would have, and its state is saved under them.
        adam = AdamSettings.For(optimizer, weightDecay);
        trainer = new CudaCharTrainer(device ?? CudaDevice.Default, config, host, new CudaTrainerOptions(precision, adam, seed, tuningLog.Add));
        this.learningRate = learningRate;
    }

    /// <summary>Registers the factory for <c>--device cuda</c>; only a delegate, so loading this assembly touches no GPU and no native library.</summary>
#pragma warning disable CA2255 // TrainingEngines.Find loads this assembly by name and runs its module constructor to register the engine.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => TrainingEngines.Register(EngineKind.TextGen, DeviceType.Cuda, Create);

    /// <summary>
    /// The engine a run's options ask for, or one line naming the fix for a setting the GPU path does not train: SGD,
    /// one-hot input, a GPU other than 0, a missing GPU (<see cref="CudaUnavailableException"/>).
    /// </summary>
    public static ITrainingEngine Create(EngineRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var o = request.Options;
        AdamSettings.For(o.Optimizer, o.WeightDecay);   // refuses SGD before any GPU work
        if (o.Device.Index != 0)
            throw new NotSupportedException($"--device {o.Device}: the CUDA engine drives GPU 0 only; use --device cuda (or pick the GPU with CUDA_VISIBLE_DEVICES)");
        return new CudaEngine(null, request.Config, request.Parameters, o.LearningRate, o.Optimizer, o.WeightDecay,
            o.AllowTf32 ? Precision.Tf32 : Precision.Fp32, o.Seed);
    }

    /// <inheritdoc />
    public EngineKind Kind => EngineKind.TextGen;

    /// <inheritdoc />
    public Device Device => Device.Cuda;

    /// <inheritdoc />
    public CharRnnConfig Config => trainer.Config;

    /// <summary>cuDNN's algorithm and math in use, e.g. <c>standard+fma</c>; empty before the first step.</summary>
    public string RnnSetting => trainer.RnnSetting;

    /// <summary>The arithmetic of the matrix products and recurrent kernels.</summary>
    public Precision Precision => trainer.Precision;

    /// <summary>The GPU's name as the driver reports it.</summary>
    public string DeviceName => trainer.DeviceName;

    /// <summary>The device side, for the tests.</summary>
    internal CudaCharTrainer Trainer => trainer;

    /// <summary>What the autotuner did for each shape: each candidate setting's time, or why it was skipped.</summary>
    public IReadOnlyList<string> TuningLog => tuningLog;

    /// <inheritdoc />
    public RecurrentState? CarriedState
    {
        get => trainer.CarriedState;
        set => trainer.CarriedState = value;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The mask before the decoder comes from (seed, step), so a resumed run draws it again. The masks between layers come from
    /// cuDNN's own generator, seeded once when the engine is made: a resumed multi-layer run draws other ones there.
    /// </remarks>
    public float ForwardBackward(StepBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        pendingScale = 1f;
        return trainer.ForwardBackward(batch.Inputs.Span, batch.Targets.Span, batch.Batch, batch.SeqLen, batch.CarryState,
            Tensors.Generator.SeedForStep(batch.Seed, batch.Step));
    }

    /// <inheritdoc />
    public double ClipGradNorm(float maxNorm)
    {
        // The kernel reads a max norm of 0 as "no clipping"; clip_grad_norm_(0) would zero the gradients instead.
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, $"clip_grad_norm: max norm {maxNorm} must be > 0 on cuda (infinity only measures)");
        double norm = trainer.GradientNorm();
        // A NaN or infinite norm is returned for the trainer to report; the step after it is refused (CudaCharTrainer.ClipScale).
        pendingScale = CudaCharTrainer.ClipScale(norm, maxNorm);
        return norm;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The norm <see cref="ClipGradNorm"/> measured was NaN or infinite.</exception>
    public void OptimizerStep(double learningRate)
    {
        trainer.Step(learningRate, pendingScale);
        this.learningRate = learningRate;
        pendingScale = 1f;
    }

    /// <inheritdoc />
    public float EvaluateLoss(ReadOnlySpan<int> inputs, ReadOnlySpan<int> targets, int batch, int seqLen, bool continueState) =>
        trainer.EvaluateLoss(inputs, targets, batch, seqLen, continueState);

    /// <inheritdoc />
    public IReadOnlyList<KeyValuePair<string, Tensor>> ExportParameters()
    {
        var host = trainer.ExportParameters();
        return [.. Config.ParameterShapes().Select(p => KeyValuePair.Create(p.Name, new Tensor(host[p.Name], p.Shape)))];
    }

    /// <inheritdoc />
    public void ImportParameters(IReadOnlyDictionary<string, Tensor> parameters) => trainer.ImportParameters(Unwrap(Config, parameters));

    /// <inheritdoc />
    /// <remarks>One step count serves every parameter on the GPU, so every <c>step.i</c> holds it.</remarks>
    public OptimizerState ExportOptimizerState()
    {
        var (m, v) = trainer.StepCount > 0 ? trainer.ExportMoments() : ([], []);
        return AdamStateLayout.Write(Config, adam.Kind, trainer.StepCount, learningRate, adam.Hyperparameters, m, v);
    }

    /// <inheritdoc />
    /// <remarks>The GPU keeps one step count, so it refuses a state whose parameters were updated unequally (a CPU run with parameters left out).</remarks>
    public void ImportOptimizerState(OptimizerState state)
    {
        var (m, v, step) = AdamStateLayout.Read(state, Config, adam.Kind, adam.Hyperparameters);
        trainer.ImportMoments(m, v, step);
        learningRate = state.LearningRate;
    }

    /// <inheritdoc />
    /// <remarks>The step model holds a device copy of the weights and computes the logits there; the generators sample from them on the
    /// host with <see cref="Generation.LogitsSampler"/>, so every strategy works. Disposing the engine frees the step models it made.</remarks>
    public IStepModel CreateStepModel() => trainer.CreateStepModel();

    /// <summary>Returns the device memory to the allocator's cache.</summary>
    public void Dispose() => trainer.Dispose();

    private static Dictionary<string, float[]> Unwrap(CharRnnConfig config, IReadOnlyDictionary<string, Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var host = new Dictionary<string, float[]>();
        foreach (var (name, shape) in config.ParameterShapes())
        {
            if (!parameters.TryGetValue(name, out var t))
                throw new ArgumentException($"parameter '{name}' (shape [{string.Join(", ", shape)}]) is missing; names follow PyTorch's named_parameters()");
            if (!t.ShapeArray.SequenceEqual(shape))
                throw new ArgumentException($"parameter '{name}' has shape [{string.Join(", ", t.ShapeArray)}] but the model needs [{string.Join(", ", shape)}]");
            host[name] = t.Data.Length == t.Numel ? t.Data : t.Data[..t.Numel];
        }
        return host;
    }
}
