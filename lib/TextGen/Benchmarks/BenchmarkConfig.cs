// The benchmark configurations of BENCHMARKS.md, the same on every engine and device: character models over
// the 65-symbol vocabulary of tiny Shakespeare, and the batch shape each trains on.
using TextGen.Nn;
using TextGen.Tensors;

namespace TextGen.Benchmarks;

/// <summary>One benchmark configuration: the model (its cell type chosen per run) and the training batch shape.</summary>
/// <param name="Name">S, M, M-cpu or L.</param>
/// <param name="Shape">The model's sizes, as the one model description holds them; <see cref="Model"/> sets the cell type.</param>
/// <param name="Batch">Training batch size.</param>
/// <param name="SeqLen">Training sequence length.</param>
public sealed record BenchmarkConfig(string Name, CharRnnConfig Shape, int Batch, int SeqLen)
{
    /// <summary>Vocabulary size of every configuration.</summary>
    public const int Vocabulary = 65;

    /// <summary>The configurations of BENCHMARKS.md.</summary>
    public static IReadOnlyList<BenchmarkConfig> All { get; } =
    [
        new("S", Sizes(embeddingDim: 64, hiddenSize: 256, numLayers: 1), Batch: 64, SeqLen: 100),
        new("M", Sizes(embeddingDim: 128, hiddenSize: 512, numLayers: 2), Batch: 128, SeqLen: 256),
        new("M-cpu", Sizes(embeddingDim: 128, hiddenSize: 512, numLayers: 2), Batch: 32, SeqLen: 128),
        new("L", Sizes(embeddingDim: 256, hiddenSize: 1024, numLayers: 3), Batch: 256, SeqLen: 256),
    ];

    /// <summary>Finds a configuration by name (case-insensitive).</summary>
    public static BenchmarkConfig Get(string name) =>
        All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown benchmark configuration '{name}': use {string.Join(", ", All.Select(c => c.Name))}");

    /// <summary>The model of this configuration for a cell type.</summary>
    public CharRnnConfig Model(RecurrentArch arch) => Shape with { Arch = arch };

    /// <summary>Random input ids and targets for one training batch, batch x seqLen of each.</summary>
    /// <param name="seed">Seed of the ids; the timings do not depend on their values.</param>
    public (int[] Tokens, int[] Targets) RandomBatch(ulong seed)
    {
        var random = new Generator(seed);
        var tokens = new int[Batch * SeqLen];   // (batch, seqLen)
        var targets = new int[tokens.Length];
        for (int i = 0; i < tokens.Length; i++) { tokens[i] = random.NextInt(Vocabulary); targets[i] = random.NextInt(Vocabulary); }
        return (tokens, targets);
    }

    /// <summary>
    /// Floating-point operations of one training step per token, counted in the matrix products: each product's 2·m·n·k once
    /// forward and twice backward (input and weight gradients), over every layer's input and recurrent weights and the decoder.
    /// The element-wise work (gates, softmax, Adam) is left out: it is a few percent here, and the products bound the step.
    /// It is the model's count, the same for every engine: TextGen's first layer looks its input projection up in a table of
    /// V rows instead of computing it per token, so it does less work than it is credited with here.
    /// </summary>
    public static double TrainingFlopsPerToken(CharRnnConfig model)
    {
        double gatesTimesHidden = (double)model.Gates * model.HiddenSize, forward = 0;
        for (int layer = 0; layer < model.NumLayers; layer++)
        {
            int input = layer > 0 ? model.HiddenSize : model.EmbeddingDim > 0 ? model.EmbeddingDim : model.VocabularySize;
            forward += 2 * gatesTimesHidden * (input + model.HiddenSize);
        }
        forward += 2.0 * model.HiddenSize * model.VocabularySize;
        return 3 * forward;
    }

    private static CharRnnConfig Sizes(int embeddingDim, int hiddenSize, int numLayers) =>
        new(Vocabulary, RecurrentArch.Lstm, embeddingDim, hiddenSize, numLayers);
}
