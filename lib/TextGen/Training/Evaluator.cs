// Loss of a model on a token stream, read in order with the hidden state carried across chunks,
// so that every prediction sees all the text before it (up to the start of its lane); a transformer,
// which carries no state, predicts the same tokens from sliding windows of its block size.
using TextGen.Nn;
using TextGen.Tensors;

namespace TextGen.Training;

/// <summary>Mean cross-entropy (nats per token) of a model over a token stream.</summary>
public static class Evaluator
{
    /// <summary>
    /// Predicts every token after the first of <paramref name="ids"/>, reading the stream as one sequence from a zero
    /// state in chunks of <paramref name="chunkLength"/> (the state is carried, so the result does not depend on the chunk size).
    /// Returns the mean loss and the number of predicted tokens.
    /// </summary>
    public static (double Loss, long Tokens) StreamLoss(CharRnnModel model, ReadOnlySpan<int> ids, int chunkLength = 256)
        => LaneLoss(model, ids, 1, chunkLength, 0);

    /// <summary>
    /// Faster estimate for validation during training: the stream is cut into <paramref name="lanes"/> contiguous lanes
    /// read side by side (a batch), each from a zero state. <paramref name="maxTokens"/> caps the tokens read (0 = all).
    /// </summary>
    public static (double Loss, long Tokens) LaneLoss(CharRnnModel model, ReadOnlySpan<int> ids, int lanes, int chunkLength, int maxTokens)
    {
        bool wasTraining = model.Training;
        model.Eval();
        try
        {
            using var _ = Autograd.NoGrad();
            RecurrentState? state = null;
            return LaneLoss((inputs, targets, batch, len, carry) =>
            {
                var (loss, next) = model.Loss(inputs, targets, batch, len, carry ? state : null);
                state = next;
                return loss.Item();
            }, ids, lanes, chunkLength, maxTokens);
        }
        finally
        {
            model.Train(wasTraining);
        }
    }

    /// <summary>The same estimate computed by an engine (TextGen's, its GPU backend or TorchSharp), so every engine validates alike.</summary>
    public static (double Loss, long Tokens) LaneLoss(ITrainingEngine engine, ReadOnlySpan<int> ids, int lanes, int chunkLength, int maxTokens) =>
        LaneLoss(engine.EvaluateLoss, ids, lanes, chunkLength, maxTokens);

    /// <summary>The stream's loss read in order from a zero state, computed by an engine.</summary>
    public static (double Loss, long Tokens) StreamLoss(ITrainingEngine engine, ReadOnlySpan<int> ids, int chunkLength = 256)
        => LaneLoss(engine, ids, 1, chunkLength, 0);

    /// <summary>Mean loss of one chunk (lanes, len); <c>carry</c> continues from the state the previous chunk ended in.</summary>
    private delegate float ChunkLoss(ReadOnlySpan<int> inputs, ReadOnlySpan<int> targets, int lanes, int len, bool carry);

    private static (double Loss, long Tokens) LaneLoss(ChunkLoss chunkLoss, ReadOnlySpan<int> ids, int lanes, int chunkLength, int maxTokens)
    {
        int laneLen = CutLanes(ref ids, ref lanes, maxTokens);
        double total = 0;
        long count = 0;
        var inputs = new int[lanes * chunkLength];
        var targets = new int[lanes * chunkLength];
        for (int start = 0; start < laneLen; start += chunkLength)
        {
            int len = Math.Min(chunkLength, laneLen - start);
            for (int l = 0; l < lanes; l++)
            {
                int at = l * laneLen + start;
                ids.Slice(at, len).CopyTo(inputs.AsSpan(l * len, len));
                ids.Slice(at + 1, len).CopyTo(targets.AsSpan(l * len, len));
            }
            float loss = chunkLoss(inputs.AsSpan(0, lanes * len), targets.AsSpan(0, lanes * len), lanes, len, start > 0);
            total += (double)loss * lanes * len;
            count += lanes * len;
        }
        return (total / count, count);
    }

    /// <summary>
    /// Caps <paramref name="ids"/> at <paramref name="maxTokens"/> predictions (0 = all), fits the lane count to the text and
    /// returns the predictions per lane: the geometry every model's lane loss shares, so they all predict the same tokens.
    /// </summary>
    private static int CutLanes(ref ReadOnlySpan<int> ids, ref int lanes, int maxTokens)
    {
        if (ids.Length < 2) throw new ArgumentException($"evaluation needs at least 2 tokens, got {ids.Length}");
        if (maxTokens > 0 && ids.Length > maxTokens + 1) ids = ids[..(maxTokens + 1)];
        lanes = Math.Max(1, Math.Min(lanes, (ids.Length - 1) / 2));
        return (ids.Length - 1) / lanes;
    }

    /// <summary>
    /// The same measure for a transformer: the same lanes and the same predicted tokens as the recurrent models' lane loss.
    /// A transformer carries no state, so each token is predicted from the text before it in its lane, as much as the
    /// block size holds: the first block-size tokens of a lane from the lane's start, every later one from at least the
    /// last block size / 2 tokens (windows of a block advance by half a block, and only their newest half is scored).
    /// </summary>
    public static (double Loss, long Tokens) LaneLoss(CharTransformerModel model, ReadOnlySpan<int> ids, int lanes, int maxTokens)
    {
        int laneLen = CutLanes(ref ids, ref lanes, maxTokens);
        int block = model.Config.BlockSize, stride = Math.Max(1, block / 2), v = model.VocabularySize;
        var inputs = new int[lanes * block];
        var logp = new float[v];
        double total = 0;
        using var _ = Autograd.NoGrad();
        // Window [start, end) of lane positions; its predictions from `scored` on are counted.
        for (int scored = 0, end = Math.Min(block, laneLen); scored < laneLen; scored = end, end = Math.Min(end + stride, laneLen))
        {
            int start = Math.Max(0, end - block), len = end - start;
            for (int l = 0; l < lanes; l++) ids.Slice(l * laneLen + start, len).CopyTo(inputs.AsSpan(l * len, len));
            var logits = model.Forward(inputs.AsSpan(0, lanes * len), lanes, len).Data;     // (lanes, len, V)
            for (int l = 0; l < lanes; l++)
                for (int p = scored; p < end; p++)
                {
                    Ops.LogSoftmaxRow(logits.AsSpan((l * len + p - start) * v, v), logp);
                    total -= logp[ids[l * laneLen + p + 1]];
                }
        }
        long count = (long)lanes * laneLen;
        return (total / count, count);
    }

    /// <summary>A transformer's loss on the stream read as one lane: every token after the first, each with up to a block of context.</summary>
    public static (double Loss, long Tokens) StreamLoss(CharTransformerModel model, ReadOnlySpan<int> ids) => LaneLoss(model, ids, 1, 0);
}
