// The trainer's source of (inputs, targets) batches with a position that can be saved and restored,
// so a resumed run sees exactly the batches an uninterrupted run would have seen.
using System.Text.Json;
using TextGen.Tensors;

namespace TextGen.Training;

/// <summary>One training batch: ids (batch, seqLen) row-major, targets shifted by one token.</summary>
public sealed record TrainingBatch(int[] Inputs, int[] Targets, bool StartsEpoch);

/// <summary>
/// Batches over a token stream: stateful (the stream cut into <c>batch</c> contiguous lanes read in order, so the
/// hidden state can be carried from one batch to the next) or stateless (random windows from a seeded generator).
/// </summary>
public sealed class TokenBatches
{
    private readonly int[] ids;
    private readonly int[] inputs, targets;
    private readonly Generator generator;
    private readonly int laneLength, batchesPerEpoch;
    private int cursor; // next batch within the epoch

    /// <summary>Creates the source; the stream must hold at least one sequence per lane plus one token.</summary>
    public TokenBatches(int[] ids, int batchSize, int seqLen, bool stateful, ulong seed)
    {
        if (batchSize < 1 || seqLen < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), "batch size and sequence length must be at least 1");
        long needed = stateful ? (long)batchSize * seqLen + 1 : seqLen + 1;
        if (ids.Length < needed)
            throw new ArgumentException($"the training text has {ids.Length} tokens, too few for batches of {batchSize} x {seqLen} (needs at least {needed}); " +
                "use a longer corpus or lower --batch / --seq-len");
        this.ids = ids;
        BatchSize = batchSize;
        SeqLen = seqLen;
        Stateful = stateful;
        generator = new Generator(seed);
        inputs = new int[batchSize * seqLen];
        targets = new int[batchSize * seqLen];
        laneLength = (ids.Length - 1) / batchSize;
        batchesPerEpoch = stateful ? laneLength / seqLen : Math.Max(1, (ids.Length - 1) / (batchSize * seqLen));
    }

    /// <summary>Sequences per batch.</summary>
    public int BatchSize { get; }
    /// <summary>Tokens per sequence.</summary>
    public int SeqLen { get; }
    /// <summary>Whether batches continue each other lane by lane (carry the hidden state).</summary>
    public bool Stateful { get; }
    /// <summary>Batches in one pass over the stream.</summary>
    public int StepsPerEpoch => batchesPerEpoch;
    /// <summary>Passes started so far (1 during the first).</summary>
    public int Epoch { get; private set; }

    /// <summary>The next batch; the arrays are reused, so copy them to keep them.</summary>
    public TrainingBatch Next()
    {
        bool starts = cursor == 0;
        if (starts) Epoch++;
        for (int b = 0; b < BatchSize; b++)
        {
            int start = Stateful ? b * laneLength + cursor * SeqLen : generator.NextInt(ids.Length - SeqLen);
            ids.AsSpan(start, SeqLen).CopyTo(inputs.AsSpan(b * SeqLen, SeqLen));
            ids.AsSpan(start + 1, SeqLen).CopyTo(targets.AsSpan(b * SeqLen, SeqLen));
        }
        cursor = (cursor + 1) % batchesPerEpoch;
        return new TrainingBatch(inputs, targets, starts);
    }

    /// <summary>The position as JSON, for the resume file.</summary>
    public string SaveState() => JsonSerializer.Serialize(new State(cursor, Epoch, generator.GetState(), ids.Length, BatchSize, SeqLen, Stateful));

    /// <summary>Restores a position saved by <see cref="SaveState"/> for the same stream and shape.</summary>
    public void LoadState(string json)
    {
        var s = JsonSerializer.Deserialize<State>(json) ?? throw new ArgumentException("empty batch state");
        if (s.Tokens != ids.Length || s.Batch != BatchSize || s.SeqLen != SeqLen || s.Stateful != Stateful)
            throw new ArgumentException($"the resume state was saved for {s.Tokens} tokens in batches of {s.Batch} x {s.SeqLen}, " +
                $"but this run has {ids.Length} tokens in batches of {BatchSize} x {SeqLen}: resume with the same corpus and --batch/--seq-len");
        cursor = s.Cursor; Epoch = s.Epoch; generator.SetState(s.Rng);
    }

    private sealed record State(int Cursor, int Epoch, ulong[] Rng, int Tokens, int Batch, int SeqLen, bool Stateful);
}
