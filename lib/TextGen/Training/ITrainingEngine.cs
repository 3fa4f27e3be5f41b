// The seam between the trainer and the engines that compute: TextGen's managed CPU engine, its CUDA backend
// and TorchSharp. The trainer keeps the loop (schedule, validation, checkpoints, divergence, resume); an
// engine keeps the weights, gradients, optimizer moments and carried state wherever it computes, and
// exchanges them as CPU tensors under PyTorch's names, so that any engine's checkpoint loads in any other.
using TextGen.Nn;
using TextGen.Optim;
using TextGen.Tensors;

namespace TextGen.Training;

/// <summary>The engines a run can compute with; the CLI spells them <c>textgen</c> and <c>torchsharp</c>.</summary>
public enum EngineKind
{
    /// <summary>TextGen's own tensor engine: managed kernels on the CPU, the cuDNN backend on a GPU.</summary>
    TextGen,
    /// <summary>The same model built from TorchSharp's layers and trained with its optimizers (assembly TextGen.TorchSharp).</summary>
    TorchSharp,
}

/// <summary>Parsing and naming of <see cref="EngineKind"/> as the CLI and resume files write it.</summary>
public static class EngineKindNames
{
    /// <summary>Parses textgen or torchsharp.</summary>
    public static EngineKind Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "textgen" => EngineKind.TextGen,
        "torchsharp" or "torch" => EngineKind.TorchSharp,
        _ => throw new ArgumentException($"unknown engine '{name}': use textgen or torchsharp"),
    };

    /// <summary>The CLI spelling: textgen or torchsharp.</summary>
    public static string ToName(this EngineKind kind) => kind == EngineKind.TorchSharp ? "torchsharp" : "textgen";
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
    /// Forward pass, mean cross-entropy and backward pass on one batch laid out (batch, seqLen) row-major, replacing the
    /// previous gradients. With <paramref name="carryState"/> the batch starts from the state the last one ended in (zeros
    /// after <see cref="ResetState"/>), and it keeps its own final state for the next; without, it starts from zeros.
    /// Dropout masks are drawn from (<paramref name="seed"/>, <paramref name="step"/>), so a resumed run draws the same ones.
    /// </summary>
    float ForwardBackward(ReadOnlySpan<int> inputs, ReadOnlySpan<int> targets, int batch, int seqLen, bool carryState, ulong seed, int step);

    /// <summary>Scales the gradients so their global L2 norm is at most <paramref name="maxNorm"/> (infinity: only measures); returns the norm before.</summary>
    double ClipGradNorm(float maxNorm);

    /// <summary>Applies the optimizer to the current gradients at <paramref name="learningRate"/>.</summary>
    void OptimizerStep(double learningRate);

    /// <summary>Forgets the carried state, as at the start of an epoch.</summary>
    void ResetState();

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

    /// <summary>The state carried into the next batch, on the CPU, or null when there is none.</summary>
    RecurrentState? CarriedState { get; set; }

    /// <summary>A one-step model over the current weights for generation; make a new one after further training.</summary>
    IStepModel CreateStepModel();
}
