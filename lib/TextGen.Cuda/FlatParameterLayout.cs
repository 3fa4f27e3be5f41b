// Where every parameter lives in the one flat buffer that holds the model: cuDNN's recurrent weight space first,
// then the embedding and the decoder. Gradients and Adam's moments repeat the same layout, so one kernel updates all.
using TextGen.Nn;

namespace TextGen.Cuda;

/// <summary>Offsets (in floats) of the model's parameters in the flat device buffer, and the copies to and from PyTorch-named arrays.</summary>
internal sealed class FlatParameterLayout
{
    // 64 floats = 256 bytes: the alignment cuDNN and cuBLAS want for each region's start.
    private const long Align = 64;

    public FlatParameterLayout(CharRnnConfig config, long weightSpaceFloats, IReadOnlyList<WeightRegion> rnnRegions)
    {
        Config = config;
        RnnRegions = rnnRegions;
        WeightSpaceFloats = weightSpaceFloats;
        EmbeddingOffset = Round(weightSpaceFloats);
        DecoderWeightOffset = Round(EmbeddingOffset + (long)config.VocabularySize * config.EmbeddingDim);
        DecoderBiasOffset = Round(DecoderWeightOffset + (long)config.VocabularySize * config.HiddenSize);
        Count = Round(DecoderBiasOffset + config.VocabularySize);
    }

    public CharRnnConfig Config { get; }
    public IReadOnlyList<WeightRegion> RnnRegions { get; }
    public long WeightSpaceFloats { get; }
    public long EmbeddingOffset { get; }
    public long DecoderWeightOffset { get; }
    public long DecoderBiasOffset { get; }

    /// <summary>Floats in one copy of the layout (parameters, or gradients, or a moment), padding included.</summary>
    public long Count { get; }

    private static long Round(long n) => (n + Align - 1) / Align * Align;

    /// <summary>Packs PyTorch-named parameters into one flat host array (padding zero).</summary>
    public float[] Pack(IReadOnlyDictionary<string, float[]> parameters)
    {
        Config.ValidateParameters(parameters);
        var flat = new float[Count];
        foreach (var r in RnnRegions)
            parameters[r.Name].AsSpan((int)r.SourceOffset, (int)r.Length).CopyTo(flat.AsSpan((int)r.SpaceOffset));
        parameters["embedding.weight"].CopyTo(flat, EmbeddingOffset);
        parameters["decoder.weight"].CopyTo(flat, DecoderWeightOffset);
        parameters["decoder.bias"].CopyTo(flat, DecoderBiasOffset);
        return flat;
    }

    /// <summary>Unpacks a flat host array into PyTorch-named arrays with PyTorch's shapes.</summary>
    public Dictionary<string, float[]> Unpack(ReadOnlySpan<float> flat)
    {
        var result = new Dictionary<string, float[]>();
        foreach (var (name, shape) in Config.ParameterShapes())
            result[name] = new float[shape.Aggregate(1, (a, d) => a * d)];
        foreach (var r in RnnRegions)
            flat.Slice((int)r.SpaceOffset, (int)r.Length).CopyTo(result[r.Name].AsSpan((int)r.SourceOffset));
        flat.Slice((int)EmbeddingOffset, result["embedding.weight"].Length).CopyTo(result["embedding.weight"]);
        flat.Slice((int)DecoderWeightOffset, result["decoder.weight"].Length).CopyTo(result["decoder.weight"]);
        flat.Slice((int)DecoderBiasOffset, result["decoder.bias"].Length).CopyTo(result["decoder.bias"]);
        return result;
    }

    /// <summary>Throws unless the regions cover every recurrent parameter exactly once (a guard against an unexpected cuDNN layout).</summary>
    public void CheckCoverage()
    {
        foreach (var (name, shape) in Config.ParameterShapes().Where(p => p.Name.StartsWith("rnn.", StringComparison.Ordinal)))
        {
            long covered = RnnRegions.Where(r => r.Name == name).Sum(r => r.Length);
            long expected = shape.Aggregate(1L, (a, d) => a * d);
            if (covered != expected) throw new InvalidOperationException($"cuDNN's weight space covers {covered} of the {expected} values of {name}");
        }
        foreach (var r in RnnRegions)
            if (r.SpaceOffset < 0 || r.SpaceOffset + r.Length > WeightSpaceFloats)
                throw new InvalidOperationException($"a region of {r.Name} lies outside cuDNN's weight space");
    }
}
