// The benchmark configurations of BENCHMARKS.md: character models with vocabulary 65.
namespace TextGen.Cli.Commands;

/// <summary>A named benchmark configuration.</summary>
public sealed record BenchConfig(string Name, int EmbeddingDim, int NumLayers, int HiddenSize, int BatchSize, int SeqLen)
{
    /// <summary>Vocabulary size of tiny Shakespeare.</summary>
    public const int Vocabulary = 65;

    /// <summary>S, M, M-cpu and L.</summary>
    public static IReadOnlyList<BenchConfig> All { get; } =
    [
        new("S", 64, 1, 256, 64, 100),
        new("M", 128, 2, 512, 128, 256),
        new("M-cpu", 128, 2, 512, 32, 128),
        new("L", 256, 3, 1024, 256, 256),
    ];

    /// <summary>Finds a configuration by name (case-insensitive), with the known names in the error.</summary>
    public static BenchConfig Find(string name) =>
        All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown benchmark config '{name}': use {string.Join(", ", All.Select(c => c.Name))}");
}
