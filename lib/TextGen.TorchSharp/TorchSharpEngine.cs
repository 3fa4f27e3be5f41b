// The TorchSharp engine behind the trainer's seam: TorchCharModel trained by torch.optim, with the same step, clipping,
// evaluation and state exchange as TextGenEngine, so a run can start, validate and resume on either engine.
using TextGen.Nn;
using TextGen.Optim;
using TextGen.Training;
using TorchSharp;
using TorchSharp.Modules;
using TgDevice = TextGen.Tensors.Device;
using TgDeviceType = TextGen.Tensors.DeviceType;
using TgTensor = TextGen.Tensors.Tensor;
using TorchTensor = TorchSharp.torch.Tensor;
using OptimizerState = TextGen.Optim.OptimizerState;
using TextGen.Tensors.Kernels;

namespace TextGen.TorchSharp;

/// <summary>The character model as TorchSharp layers, trained by TorchSharp's Adam, AdamW or SGD, on the CPU or a CUDA device.</summary>
public sealed class TorchSharpEngine : ITrainingEngine
{
    private readonly TorchCharModel model;
    private readonly OptimizerHelper optimizer;
    private readonly Parameter[] parameters;
    private readonly TrainOptions options;
    private readonly torch.Device device;
    private TorchTensor? carriedH, carriedC, evalH, evalC;
    private int stepCount;
    private double learningRate;

    /// <summary>Builds the model on the requested device from the request's weights, and its optimizer from the request's options.</summary>
    /// <exception cref="NotSupportedException">CUDA was asked for and TorchSharp sees no CUDA device.</exception>
    public TorchSharpEngine(EngineRequest request)
    {
        TorchSharpRuntime.EnsureLoaded();
        // TextGen's thread setting (Blas.MaxThreads, the CLI's --threads) governs both engines, so side-by-side figures use the same cores.
        if (torch.get_num_threads() != TextGen.Tensors.Kernels.Blas.MaxThreads) torch.set_num_threads(TextGen.Tensors.Kernels.Blas.MaxThreads);
        options = request.Options;
        Device = options.Device;
        device = Device.Type == TgDeviceType.Cuda ? CudaDevice(Device.Index) : torch.CPU;
        model = new TorchCharModel(request.Config);
        model.LoadFrom(request.Parameters);
        if (Device.Type == TgDeviceType.Cuda) model.to(device);
        parameters = [.. model.named_parameters().Select(p => p.parameter)];
        optimizer = TorchOptimizers.Create(options, parameters);
        TorchOptimizers.KeepState(optimizer);
        learningRate = options.LearningRate;
    }

    /// <inheritdoc />
    public EngineKind Kind => EngineKind.TorchSharp;

    /// <inheritdoc />
    public TgDevice Device { get; }

    /// <inheritdoc />
    public CharRnnConfig Config => model.Config;

    /// <summary>The live TorchSharp model, for looking at it with TorchSharp's own tools.</summary>
    public TorchCharModel Model => model;

    /// <inheritdoc />
    public RecurrentState? CarriedState
    {
        get => carriedH is null ? null : new RecurrentState(TorchCharModel.ToTextGen(carriedH), carriedC is null ? null : TorchCharModel.ToTextGen(carriedC));
        set
        {
            Replace(ref carriedH, value is null ? null : OnDevice(value.H));
            Replace(ref carriedC, value?.C is null ? null : OnDevice(value.C));
        }
    }

    /// <inheritdoc />
    public float ForwardBackward(StepBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        bool carryState = batch.CarryState;
        model.train();
        // torch.nn.LSTM draws its between-layer masks from the global generator, so that generator is what gets seeded.
        if (Config.Dropout > 0) torch.random.manual_seed(DropoutSeed(batch.Seed, batch.Step));
        optimizer.zero_grad();
        using var scope = torch.NewDisposeScope();
        var x = OnDevice(TorchCharModel.Tokens(batch.Inputs.Span, batch.Batch, batch.SeqLen));                       // (batch, seqLen)
        var y = OnDevice(TorchCharModel.Tokens(batch.Targets.Span, batch.Batch, batch.SeqLen));
        var forward = carryState && carriedH is not null ? model.Forward(x, carriedH, carriedC) : model.Forward(x);
        var loss = TorchCharModel.Loss(forward.Logits, y);
        loss.backward();
        float value = loss.item<float>();
        Replace(ref carriedH, carryState ? forward.H.detach().DetachFromDisposeScope() : null);
        Replace(ref carriedC, carryState ? forward.C?.detach().DetachFromDisposeScope() : null);
        return value;
    }

    /// <inheritdoc />
    public double ClipGradNorm(float maxNorm)
    {
        using var scope = torch.NewDisposeScope();
        // With an infinite bound libtorch's clip coefficient clamps to 1: the gradients are multiplied by exactly one.
        return torch.nn.utils.clip_grad_norm_(parameters, maxNorm);
    }

    /// <inheritdoc />
    public void OptimizerStep(double learningRate)
    {
        SetLearningRate(learningRate);
        optimizer.step();
        stepCount++;
    }

    private void ResetState()
    {
        Replace(ref carriedH, null);
        Replace(ref carriedC, null);
    }

    /// <inheritdoc />
    public float EvaluateLoss(ReadOnlySpan<int> inputs, ReadOnlySpan<int> targets, int batch, int seqLen, bool continueState)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = torch.no_grad();
            using var scope = torch.NewDisposeScope();
            var x = OnDevice(TorchCharModel.Tokens(inputs, batch, seqLen));
            var y = OnDevice(TorchCharModel.Tokens(targets, batch, seqLen));
            var forward = continueState && evalH is not null ? model.Forward(x, evalH, evalC) : model.Forward(x);
            float value = TorchCharModel.Loss(forward.Logits, y).item<float>();
            Replace(ref evalH, forward.H.DetachFromDisposeScope());
            Replace(ref evalC, forward.C?.DetachFromDisposeScope());
            return value;
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<KeyValuePair<string, TgTensor>> ExportParameters() =>
        [.. model.named_parameters().Select(p => KeyValuePair.Create(p.name, TorchCharModel.ToTextGen(p.parameter)))];

    /// <inheritdoc />
    public void ImportParameters(IReadOnlyDictionary<string, TgTensor> parameters) => model.LoadFrom(parameters);

    /// <inheritdoc />
    public OptimizerState ExportOptimizerState()
    {
        var (kind, hyperparameters) = TrainerFactory.OptimizerSignature(options);
        return new(kind, stepCount, learningRate, hyperparameters, TorchOptimizers.ExportBuffers(optimizer));
    }

    /// <inheritdoc />
    public void ImportOptimizerState(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var (kind, hyperparameters) = TrainerFactory.OptimizerSignature(options);
        state.EnsureFits(kind, hyperparameters, $"the torchsharp engine's {kind}");
        TorchOptimizers.ImportBuffers(optimizer, parameters, state.Buffers, kind);
        stepCount = state.StepCount;
        SetLearningRate(state.LearningRate);
    }

    /// <inheritdoc />
    public IStepModel CreateStepModel() => new TorchStepModel(model);

    /// <summary>Releases the model's, the optimizer's and the carried state's native tensors.</summary>
    public void Dispose()
    {
        ResetState();
        Replace(ref evalH, null);
        Replace(ref evalC, null);
        optimizer.Dispose();
        model.Dispose();
    }

    private void SetLearningRate(double lr)
    {
        learningRate = lr;
        foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
    }

    private TorchTensor OnDevice(TorchTensor t) => Device.Type == TgDeviceType.Cpu ? t : t.to(device);

    private TorchTensor OnDevice(TgTensor t)
    {
        var cpu = TorchCharModel.FromTextGen(t).DetachFromDisposeScope();
        if (Device.Type == TgDeviceType.Cpu) return cpu;
        using (cpu) return cpu.to(device).DetachFromDisposeScope();
    }

    private static void Replace(ref TorchTensor? slot, TorchTensor? value)
    {
        if (ReferenceEquals(slot, value)) return;
        slot?.Dispose();
        slot = value;
    }

    // The step's seed every engine uses, halved into the range of torch.manual_seed's long.
    internal static long DropoutSeed(ulong seed, int step) => (long)(TextGen.Tensors.Generator.SeedForStep(seed, step) >> 1);

    private static torch.Device CudaDevice(int index)
    {
        if (!torch.cuda.is_available())
            throw new NotSupportedException("the torchsharp engine cannot use cuda: TorchSharp sees no CUDA device (this build references TorchSharp-cpu). " +
                "Fix: add the TorchSharp-cuda-linux package on a machine with an NVIDIA GPU, or use --device cpu");
        torch.InitializeDeviceType(DeviceType.CUDA);
        return torch.device(DeviceType.CUDA, index);
    }
}
