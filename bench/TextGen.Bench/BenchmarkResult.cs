// The one result of a benchmark run, CPU or GPU: what `textgen bench` prints and bench/TextGen.Cuda.Bench writes
// as JSON lines (tools/compare_gpu.py reads tokensPerSecond, generationMsPerToken, rnnSetting and device).
namespace TextGen.Bench;

/// <summary>What one benchmark run measured: training-step throughput and batch-1 generation latency.</summary>
/// <param name="Config">Configuration name (S, M, M-cpu or L).</param>
/// <param name="Arch">Recurrent cell, as the CLI spells it.</param>
/// <param name="Device"><c>cpu</c>, or the GPU's name.</param>
/// <param name="Precision">Arithmetic used: fp32 on the CPU; fp32 or tf32 on the GPU.</param>
/// <param name="Parameters">The model's parameter count.</param>
/// <param name="TokensPerSecond">batch x seqLen over the median training-step time.</param>
/// <param name="MedianStepMs">Median training-step time.</param>
/// <param name="GenerationMsPerToken">Batch-1 generation time per token at temperature 0.8.</param>
/// <param name="Threads">CPU threads of the matrix products; null on the GPU.</param>
/// <param name="RnnSetting">cuDNN algorithm and math the autotuner picked; null on the CPU.</param>
public sealed record BenchmarkResult(string Config, string Arch, string Device, string Precision, long Parameters,
    double TokensPerSecond, double MedianStepMs, double GenerationMsPerToken, int? Threads = null, string? RnnSetting = null)
{
    /// <summary>The engine that ran: textgen, or torchsharp for the CPU peer.</summary>
    public string Engine { get; init; } = "textgen";

    /// <summary>GFLOP/s the training step achieved, from <see cref="Training.BenchmarkConfig.TrainingFlopsPerToken"/>; null when not measured.</summary>
    public double? Gflops { get; init; }

    /// <summary>GFLOP/s of TextGen's matrix product on a large square in the same run and threads: the machine's practical peak here.</summary>
    public double? PeakGflops { get; init; }

    /// <summary>The process's peak working set after the timed steps, in MiB (code and libraries included).</summary>
    public double? PeakWorkingSetMib { get; init; }

    /// <summary>How far the working set grew from just before the first step to its peak, in MiB: what the steps themselves hold.</summary>
    public double? StepWorkingSetMib { get; init; }
}
