// What the GPU engine adds to the model description's own checks: cuDNN's RNN takes a dense input,
// so the GPU trains models with an embedding and leaves one-hot input to the CPU.
using TextGen.Nn;

namespace TextGen.Cuda;

/// <summary>Checks that a <see cref="CharRnnConfig"/> is a model the GPU engine can train, with the way out when it is not.</summary>
internal static class GpuModelCheck
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming the fix for a model the GPU path cannot run.</summary>
    public static void EnsureSupported(CharRnnConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        try { config.Validate(); }
        catch (ArgumentOutOfRangeException e) { throw new ArgumentException(e.Message, e); }
        if (config.VocabularySize < 2) throw new ArgumentException($"the vocabulary has {config.VocabularySize} token id(s): a model needs at least 2");
        if (config.EmbeddingDim < 1)
            throw new ArgumentException("the GPU path trains models with an embedding; one-hot input (embedding dim 0) runs on the CPU: give --embedding-dim or use --device cpu");
    }
}
