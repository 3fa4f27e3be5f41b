// Settings of the GPU trainer that are not the model's shape: precision, the optimizer's settings, the dropout seed. Adam's
// constants are never written here: they are the ones TextGen's own Adam or AdamW states, so the two engines cannot drift apart.
using TextGen.Optim;
using TextGen.Training;

namespace TextGen.Cuda;

/// <summary>Adam's or AdamW's settings as TextGen's optimizer of the same options states them (<see cref="TrainerFactory.OptimizerSignature"/>).</summary>
/// <param name="Kind"><c>Adam</c> or <c>AdamW</c>, the name the optimizer state carries.</param>
/// <param name="Hyperparameters">beta1, beta2, eps and weight_decay under PyTorch's names: saved with the state, and checked when one is loaded.</param>
internal sealed record AdamSettings(string Kind, IReadOnlyDictionary<string, double> Hyperparameters)
{
    /// <summary>The settings of <paramref name="optimizer"/> (Adam or AdamW) with <paramref name="weightDecay"/>; SGD has no GPU kernel.</summary>
    public static AdamSettings For(OptimizerKind optimizer, float weightDecay)
    {
        if (optimizer is not (OptimizerKind.Adam or OptimizerKind.AdamW))
            throw new NotSupportedException("--device cuda trains with adam or adamw (its kernel has no SGD): use --optimizer adam or --device cpu");
        var (kind, hyperparameters) = TrainerFactory.OptimizerSignature(new TrainOptions { Optimizer = optimizer, WeightDecay = weightDecay });
        return new AdamSettings(kind, hyperparameters);
    }

    /// <summary>The decay applied outside the moments, <c>p *= 1 - lr * wd</c>, as <c>torch.optim.AdamW</c>.</summary>
    public bool Decoupled => Kind == "AdamW";

    public float Beta1 => (float)Hyperparameters["beta1"];
    public float Beta2 => (float)Hyperparameters["beta2"];
    public float Eps => (float)Hyperparameters["eps"];
    public float WeightDecay => (float)Hyperparameters["weight_decay"];
}

/// <summary>Options of <see cref="CudaCharTrainer"/>.</summary>
/// <param name="Precision">Arithmetic of the matrix products and recurrent kernels.</param>
/// <param name="Adam">The optimizer's settings, from <see cref="AdamSettings.For"/>.</param>
/// <param name="Seed">Seed of cuDNN's dropout mask generator.</param>
/// <param name="Log">Receives autotuning lines (candidate timings and skip reasons), or null for silence.</param>
internal sealed record CudaTrainerOptions(Precision Precision, AdamSettings Adam, ulong Seed, Action<string>? Log = null);
