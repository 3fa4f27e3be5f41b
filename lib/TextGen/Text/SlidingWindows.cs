// Overlapping (input window, next token) pairs cut from a token stream with a step: how many
// tutorials prepare data for a next-token model, shown in the lessons beside TBPTT batching.
namespace TextGen.Text;

/// <summary>One training example: <see cref="Input"/> tokens and the <see cref="Target"/> that follows them.</summary>
public readonly record struct SlidingWindow(int[] Input, int Target);

/// <summary>Cuts a stream into windows of <c>seqLen</c> tokens starting every <c>step</c> tokens, each with its next token.</summary>
public static class SlidingWindows
{
    /// <summary>Number of windows of a stream of <paramref name="tokenCount"/> tokens.</summary>
    public static int Count(int tokenCount, int seqLen, int step = 1)
    {
        if (seqLen < 1 || step < 1) throw new ArgumentOutOfRangeException(nameof(seqLen), $"sequence length {seqLen} and step {step} must be at least 1");
        return tokenCount <= seqLen ? 0 : (tokenCount - seqLen - 1) / step + 1;
    }

    /// <summary>The windows in order.</summary>
    public static IEnumerable<SlidingWindow> Create(int[] ids, int seqLen, int step = 1)
    {
        int n = Count(ids.Length, seqLen, step);
        for (int i = 0; i < n; i++)
        {
            int start = i * step;
            yield return new SlidingWindow(ids[start..(start + seqLen)], ids[start + seqLen]);
        }
    }
}
