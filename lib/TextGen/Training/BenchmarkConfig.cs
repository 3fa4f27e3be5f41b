// The benchmark configurations of BENCHMARKS.md, shared by the CPU and GPU benchmarks: character
// models over the 65-symbol vocabulary of tiny Shakespeare.
using TextGen.Nn;

namespace TextGen.Training;

/// <summary>One benchmark configuration: model sizes and the training batch shape.</summary>
/// <param name="Name">S, M, M-cpu or L.</param>
/// <param name="EmbeddingDim">Embedding width.</param>
/// <param name="Layers">Recurrent layers.</param>
/// <param name="Hidden">Hidden size.</param>
/// <param name="Batch">Training batch size.</param>
/// <param name="SeqLen">Training sequence length.</param>
public sealed record BenchmarkConfig(string Name, int EmbeddingDim, int Layers, int Hidden, int Batch, int SeqLen)
{
    /// <summary>Vocabulary size of every configuration.</summary>
    public const int Vocabulary = 65;

    /// <summary>The configurations of BENCHMARKS.md.</summary>
    public static IReadOnlyList<BenchmarkConfig> All { get; } =
    [
        new("S", 64, 1, 256, 64, 100),
        new("M", 128, 2, 512, 128, 256),
        new("M-cpu", 128, 2, 512, 32, 128),
        new("L", 256, 3, 1024, 256, 256),
    ];

    /// <summary>Finds a configuration by name (case-insensitive).</summary>
    public static BenchmarkConfig Get(string name) =>
        All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown benchmark configuration '{name}': use {string.Join(", ", All.Select(c => c.Name))}");

    /// <summary>The model of this configuration for a cell type.</summary>
    public CharRnnConfig Model(RecurrentArch arch) => new(Vocabulary, arch, EmbeddingDim, Hidden, Layers);
}
