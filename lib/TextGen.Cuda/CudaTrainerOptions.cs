// Settings of the GPU trainer that are not the model's shape: precision, Adam's constants, the dropout seed.
namespace TextGen.Cuda;

/// <summary>Options of <see cref="CudaCharTrainer"/>; Adam's defaults are <c>torch.optim.Adam</c>'s.</summary>
/// <param name="Precision">Arithmetic of the matrix products and recurrent kernels (strict FP32 by default).</param>
/// <param name="Beta1">Adam's first-moment decay.</param>
/// <param name="Beta2">Adam's second-moment decay.</param>
/// <param name="Eps">Adam's denominator epsilon.</param>
/// <param name="Seed">Seed of cuDNN's dropout mask generator.</param>
/// <param name="Log">Receives autotuning lines (candidate timings), or null for silence.</param>
public sealed record CudaTrainerOptions(
    Precision Precision = Precision.Fp32,
    float Beta1 = 0.9f,
    float Beta2 = 0.999f,
    float Eps = 1e-8f,
    ulong Seed = 1337,
    Action<string>? Log = null);
