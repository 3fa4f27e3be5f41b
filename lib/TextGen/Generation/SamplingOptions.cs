// How the next token is chosen from the logits: greedy, or sampled with temperature, top-k,
// top-p and a repetition penalty, <unk> masked unless allowed; validated with messages that say what to use instead.
using System.ComponentModel;
using System.Text.Json.Serialization;

namespace TextGen.Generation;

/// <summary>Decoding strategy; the CLI spells it <c>greedy</c>, <c>sample</c> or <c>beam</c>.</summary>
[Description("strategy")]
[JsonConverter(typeof(EnumNameJson<DecodingStrategy>))]
public enum DecodingStrategy
{
    /// <summary>Always the most probable token.</summary>
    [JsonStringEnumMemberName("greedy")] Greedy,
    /// <summary>Draw from the (tempered, filtered) distribution.</summary>
    [JsonStringEnumMemberName("sample")] Sample,
    /// <summary>Keep the best few partial sequences (beam search).</summary>
    [JsonStringEnumMemberName("beam")] Beam,
}

/// <summary>Settings of text generation.</summary>
public sealed record SamplingOptions
{
    /// <summary>Greedy, sample or beam.</summary>
    public DecodingStrategy Strategy { get; init; } = DecodingStrategy.Sample;
    /// <summary>Divides the logits: below 1 sharpens, above 1 flattens. Must be positive.</summary>
    public float Temperature { get; init; } = 0.8f;
    /// <summary>Keep only the k most probable tokens (0 = off).</summary>
    public int TopK { get; init; }
    /// <summary>Keep the smallest set of tokens whose probability reaches p (1 = off).</summary>
    public float TopP { get; init; } = 1f;
    /// <summary>Penalty for tokens already generated (CTRL style: positive logits divided, negative multiplied; 1 = off).</summary>
    public float RepetitionPenalty { get; init; } = 1f;
    /// <summary>Beams kept by beam search.</summary>
    public int BeamWidth { get; init; } = 4;
    /// <summary>Beam score = log-probability / length^LengthPenalty (0 = plain sum).</summary>
    public float LengthPenalty { get; init; } = 1f;
    /// <summary>Seed of the sampling draws.</summary>
    public ulong Seed { get; init; } = 1337;
    /// <summary>
    /// Whether the model may write the unknown token (&lt;unk&gt; of a word vocabulary). Off by default: its logit is set to
    /// -infinity before anything else, so no strategy emits it and the other tokens share its probability.
    /// </summary>
    public bool AllowUnknown { get; init; }

    /// <summary>The settings that matter for <see cref="Strategy"/>, in words: "greedy", "beam 4", "temperature 0.8, top-k 5, seed 3".</summary>
    public string Describe()
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        List<string> parts = Strategy switch
        {
            DecodingStrategy.Greedy => ["greedy"],
            DecodingStrategy.Beam => [$"beam {BeamWidth}", .. LengthPenalty != 1f ? [string.Create(inv, $"length penalty {LengthPenalty}")] : Array.Empty<string>()],
            DecodingStrategy.Sample =>
            [
                string.Create(inv, $"temperature {Temperature}"),
                .. TopK > 0 ? [$"top-k {TopK}"] : Array.Empty<string>(),
                .. TopP < 1f ? [string.Create(inv, $"top-p {TopP}")] : Array.Empty<string>(),
            ],
        };
        if (RepetitionPenalty != 1f) parts.Add(string.Create(inv, $"repetition penalty {RepetitionPenalty}"));
        if (AllowUnknown) parts.Add("<unk> allowed");
        if (Strategy == DecodingStrategy.Sample) parts.Add($"seed {Seed}");
        return string.Join(", ", parts);
    }

    /// <summary>Throws with a message that names the bad value and the fix.</summary>
    public void Validate()
    {
        if (!(Temperature > 0) || !float.IsFinite(Temperature))
            throw new ArgumentOutOfRangeException(nameof(Temperature), $"temperature {Temperature} must be greater than 0; for always the most likely token use --strategy greedy");
        if (TopK < 0) throw new ArgumentOutOfRangeException(nameof(TopK), $"top-k {TopK} must be at least 1 (or 0 to turn it off)");
        if (!(TopP > 0 && TopP <= 1)) throw new ArgumentOutOfRangeException(nameof(TopP), $"top-p {TopP} must be in (0, 1]");
        if (!(RepetitionPenalty > 0)) throw new ArgumentOutOfRangeException(nameof(RepetitionPenalty), $"repetition penalty {RepetitionPenalty} must be positive (1 = off)");
        if (BeamWidth < 1) throw new ArgumentOutOfRangeException(nameof(BeamWidth), $"beam width {BeamWidth} must be at least 1");
        if (LengthPenalty < 0) throw new ArgumentOutOfRangeException(nameof(LengthPenalty), $"length penalty {LengthPenalty} must be 0 or more");
    }
}
