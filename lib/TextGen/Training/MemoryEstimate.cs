// What a training run will need in memory, estimated before anything large is allocated, so an
// impossible configuration fails at once with the numbers instead of an OutOfMemoryException later.
using TextGen.Nn;

namespace TextGen.Training;

/// <summary>Bytes a training run needs, by part.</summary>
public sealed record MemoryEstimate(long Parameters, long OptimizerState, long Activations, long Logits)
{
    /// <summary>Everything together.</summary>
    public long Total => Parameters + OptimizerState + Activations + Logits;

    /// <summary>Estimates the memory of training <paramref name="model"/> with these options.</summary>
    public static MemoryEstimate For(CharRnnConfig model, TrainOptions o)
    {
        const long F = sizeof(float);
        long p = model.ParameterCount();
        long rows = (long)o.BatchSize * o.SeqLen;
        // Per layer the fused op keeps the input projection, states, gate activations and their gradients.
        long perLayer = rows * model.HiddenSize * (model.Gates * 3 + 6);
        long input = rows * model.InputSize * 2;
        return new MemoryEstimate(p * F * 2, p * F * 2, (perLayer * model.NumLayers + input) * F, rows * model.VocabularySize * F * 3);
    }

    /// <summary>Throws when the estimate exceeds what the process may use, naming both and what to reduce.</summary>
    public void EnsureFits(long availableBytes)
    {
        if (Total <= availableBytes) return;
        throw new InsufficientMemoryException(
            $"this run needs about {Total / 1e9:F1} GB (parameters and gradients {Parameters / 1e9:F2} GB, optimizer {OptimizerState / 1e9:F2} GB, " +
            $"activations {Activations / 1e9:F2} GB, logits {Logits / 1e9:F2} GB) but {availableBytes / 1e9:F1} GB are available: " +
            "lower --hidden, --layers, --batch or --seq-len");
    }
}
