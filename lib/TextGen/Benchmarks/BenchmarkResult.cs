// What one benchmark run measured, on any engine: what `textgen bench` prints and bench/TextGen.Cuda.Bench writes as
// JSON lines (tools/compare_gpu.py reads tokensPerSecond, generationMsPerToken, precision, rnnSetting and deviceName).
using TextGen.Nn;
using TextGen.Tensors;
using TextGen.Training;

namespace TextGen.Benchmarks;

/// <summary>Training-step throughput and batch-1 generation latency of one engine on one configuration.</summary>
/// <param name="Config">Configuration name (S, M, M-cpu or L).</param>
/// <param name="Arch">Recurrent cell.</param>
/// <param name="Engine">What computed.</param>
/// <param name="Device">Where it computed.</param>
/// <param name="Parameters">The model's parameter count.</param>
/// <param name="TokensPerSecond">batch x seqLen over the median training-step time.</param>
/// <param name="MedianStepMs">Median training-step time.</param>
/// <param name="GenerationMsPerToken">Batch-1 generation time per token at temperature 0.8 (median of the passes).</param>
public sealed record BenchmarkResult(string Config, RecurrentArch Arch, EngineKind Engine, Device Device, long Parameters,
    double TokensPerSecond, double MedianStepMs, double GenerationMsPerToken)
{
    /// <summary>Arithmetic of the matrix products: fp32, or tf32 where a GPU was allowed TF32 (<see cref="TrainOptions.AllowTf32"/>).</summary>
    public string Precision { get; init; } = "fp32";

    /// <summary>GFLOP/s the training step achieved, from <see cref="BenchmarkConfig.TrainingFlopsPerToken"/>.</summary>
    public double Gflops { get; init; }

    /// <summary>The timed steps: median, fastest, slowest and count.</summary>
    public TimingSample? StepTimes { get; init; }

    /// <summary>CPU threads of the matrix products (TextGen's and TorchSharp's alike); null on a GPU.</summary>
    public int? Threads { get; init; }

    /// <summary>The device's own name (a GPU's model), where the caller knows it.</summary>
    public string? DeviceName { get; init; }

    /// <summary>cuDNN's algorithm and math the CUDA engine's autotuner picked, where the caller reads it.</summary>
    public string? RnnSetting { get; init; }

    /// <summary>GFLOP/s of TextGen's matrix product on a large square in the same run and threads, where the caller measured it.</summary>
    public double? PeakGflops { get; init; }

    /// <summary>The process's peak working set after the run, in MiB (code and libraries included), where the caller measured it.</summary>
    public double? PeakWorkingSetMib { get; init; }

    /// <summary>How far the working set grew from just before the first step to its peak, in MiB, where the caller measured it.</summary>
    public double? StepWorkingSetMib { get; init; }
}
