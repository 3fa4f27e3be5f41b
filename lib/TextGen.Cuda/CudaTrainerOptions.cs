// Settings of the GPU trainer that are not the model's shape: precision, Adam's constants and weight decay, the dropout seed.
namespace TextGen.Cuda;

/// <summary>Options of <see cref="CudaCharTrainer"/>; Adam's defaults are <c>torch.optim.Adam</c>'s.</summary>
/// <param name="Precision">Arithmetic of the matrix products and recurrent kernels (strict FP32 by default).</param>
/// <param name="Beta1">Adam's first-moment decay.</param>
/// <param name="Beta2">Adam's second-moment decay.</param>
/// <param name="Eps">Adam's denominator epsilon.</param>
/// <param name="Seed">Seed of cuDNN's dropout mask generator.</param>
/// <param name="Log">Receives autotuning lines (candidate timings), or null for silence.</param>
/// <param name="WeightDecay">Weight decay: an L2 term in the gradient (<c>torch.optim.Adam</c>), or decoupled with <paramref name="DecoupledWeightDecay"/>.</param>
/// <param name="DecoupledWeightDecay">Apply the decay as <c>torch.optim.AdamW</c> does, <c>p *= 1 - lr * wd</c>, outside the moments.</param>
public sealed record CudaTrainerOptions(
    Precision Precision = Precision.Fp32,
    float Beta1 = 0.9f,
    float Beta2 = 0.999f,
    float Eps = 1e-8f,
    ulong Seed = 1337,
    Action<string>? Log = null,
    float WeightDecay = 0f,
    bool DecoupledWeightDecay = false);
