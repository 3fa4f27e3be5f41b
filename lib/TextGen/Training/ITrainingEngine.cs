// The seam between the trainer and the engines that compute: TextGen's managed CPU engine, its CUDA backend
// and TorchSharp. The trainer keeps the loop (schedule, validation, checkpoints, divergence, resume); an
// engine keeps the weights, gradients, optimizer moments and carried state wherever it computes, and
// exchanges them as CPU tensors under PyTorch's names, so that any engine's checkpoint loads in any other.
using System.ComponentModel;
using System.Text.Json.Serialization;
using TextGen.Nn;
using TextGen.Optim;
using TextGen.Tensors;

namespace TextGen.Training;

/// <summary>
/// What computes a run, chosen with <see cref="TrainOptions.Device"/> for where: TextGen's own engine (managed kernels on the CPU,
/// its CUDA backend on a GPU) or TorchSharp (libtorch, on either). An engine is this kind on a device, as a PyTorch model is
/// a framework on a device; the CLI spells the kinds <c>textgen</c> and <c>torchsharp</c>.
/// </summary>
[Description("engine")]
[JsonConverter(typeof(EnumNameJson<EngineKind>))]
public enum EngineKind
{
    /// <summary>TextGen's own tensor engine: <see cref="TextGenEngine"/> on the CPU, the CUDA backend (assembly TextGen.Cuda) on a GPU.</summary>
    [JsonStringEnumMemberName("textgen")] TextGen,
    /// <summary>The same model built from TorchSharp's layers and trained with its optimizers (assembly TextGen.TorchSharp).</summary>
    [JsonStringEnumMemberName("torchsharp"), EnumAlias("torch")] TorchSharp,
}

/// <summary>One batch as <see cref="ITrainingEngine.ForwardBackward"/> computes it: ids, shape, where the state starts, and the dropout draw.</summary>
/// <param name="Inputs">Input ids laid out (batch, seqLen) row-major.</param>
/// <param name="Targets">Target ids in the same layout (usually the inputs shifted by one token).</param>
/// <param name="Batch">Sequences in the batch.</param>
/// <param name="SeqLen">Tokens per sequence.</param>
public sealed record StepBatch(ReadOnlyMemory<int> Inputs, ReadOnlyMemory<int> Targets, int Batch, int SeqLen)
{
    /// <summary>
    /// Start from <see cref="ITrainingEngine.CarriedState"/> (zeros when it is null) and leave the batch's final state there for
    /// the next batch; false starts from zeros and leaves no carried state.
    /// </summary>
    public bool CarryState { get; init; }

    /// <summary>The run's seed; with <see cref="Step"/> it draws the dropout masks, so a resumed run draws the same ones.</summary>
    public ulong Seed { get; init; }

    /// <summary>The optimizer steps done before this batch.</summary>
    public int Step { get; init; }
}

/// <summary>
/// One character model on one engine and device, as the <see cref="Trainer"/> drives it: a training step in three calls
/// (forward and backward, clipping, optimizer), evaluation without gradients, and its state as CPU tensors.
/// </summary>
public interface ITrainingEngine : IDisposable
{
    /// <summary>Which engine computes.</summary>
    EngineKind Kind { get; }

    /// <summary>Where the weights live.</summary>
    Device Device { get; }

    /// <summary>The model's architecture.</summary>
    CharRnnConfig Config { get; }

    /// <summary>
    /// Forward pass, mean cross-entropy and backward pass on one batch, replacing the previous gradients; returns the loss.
    /// The batch says where its state starts (<see cref="StepBatch.CarryState"/>) and how dropout draws (<see cref="StepBatch.Seed"/>, <see cref="StepBatch.Step"/>).
    /// </summary>
    float ForwardBackward(StepBatch batch);

    /// <summary>Scales the gradients so their global L2 norm is at most <paramref name="maxNorm"/> (infinity: only measures); returns the norm before.</summary>
    double ClipGradNorm(float maxNorm);

    /// <summary>Applies the optimizer to the current gradients at <paramref name="learningRate"/>.</summary>
    void OptimizerStep(double learningRate);

    /// <summary>
    /// Mean cross-entropy of one batch in evaluation mode (no dropout, no gradients). It starts from zeros, or with
    /// <paramref name="continueState"/> from the state the previous call ended in; the training state is left alone.
    /// </summary>
    float EvaluateLoss(ReadOnlySpan<int> inputs, ReadOnlySpan<int> targets, int batch, int seqLen, bool continueState);

    /// <summary>Copies of the parameters on the CPU, under PyTorch's names in <c>named_parameters()</c> order.</summary>
    IReadOnlyList<KeyValuePair<string, Tensor>> ExportParameters();

    /// <summary>Overwrites every parameter from CPU tensors under PyTorch's names; a missing name or a wrong shape throws.</summary>
    void ImportParameters(IReadOnlyDictionary<string, Tensor> parameters);

    /// <summary>The optimizer's state in TextGen's layout (<see cref="OptimizerState"/>: <c>exp_avg.i</c>, <c>step.i</c>, ...).</summary>
    OptimizerState ExportOptimizerState();

    /// <summary>Restores state from <see cref="ExportOptimizerState"/> of this or another engine.</summary>
    void ImportOptimizerState(OptimizerState state);

    /// <summary>
    /// The state the next carrying batch starts from, copied to or from the CPU: the one way carried state crosses the seam.
    /// Read it to save a run, set it to restore one, set null to start from zeros (as at the start of an epoch).
    /// </summary>
    RecurrentState? CarriedState { get; set; }

    /// <summary>A one-step model over the current weights for generation; make a new one after further training.</summary>
    IStepModel CreateStepModel();
}

/// <summary>What every engine offers beyond the seam's calls, built from them.</summary>
public static class TrainingEngineExtensions
{
    /// <summary>
    /// A CPU <see cref="CharRnnModel"/> holding a copy of the engine's weights as they are now, in evaluation mode: the model
    /// behind any engine, to look into, evaluate or generate from. Train on and export again for later weights.
    /// </summary>
    public static CharRnnModel ExportModel(this ITrainingEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var model = new CharRnnModel(engine.Config);
        model.LoadStateDict(engine.ExportParameters().ToDictionary(p => p.Key, p => p.Value));
        model.Eval();
        return model;
    }
}
