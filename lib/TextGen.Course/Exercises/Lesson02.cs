// Checks of lesson 2's check cells: the size of the validation part before the split is shown, and the
// next-token targets of a batch of windows. The expected values come from the library, never from the cell.
using TextGen.Text;

namespace TextGen.Course;

public static partial class Exercise
{
    /// <summary>
    /// Lesson 2, "2.split": passes when <paramref name="validationTokens"/> is the length of the validation part that
    /// <see cref="Corpus.Split"/> makes of <paramref name="ids"/> with <paramref name="trainFraction"/>.
    /// </summary>
    public static QuizResult ValidationCount(string id, int? validationTokens, int[] ids, double trainFraction = 0.9)
    {
        const string what = "validation tokens";
        if (validationTokens is null)
            return CheckResult.Open(id, what, "Write your number (or an expression of allIds.Length) in place of null and run the cell again.");
        var (train, validation) = Corpus.Split(ids, trainFraction);
        int got = validationTokens.Value;
        if (got == validation.Length)
            return CheckResult.Pass(id, what, $"{got:N0}: the {train.Length:N0} training tokens and these add up to all {ids.Length:N0}.");
        if (got == train.Length)
            return CheckResult.Fail(id, what, "That is the size of the training part; validation is what is left after it.");
        if (Math.Abs(got - validation.Length) == 1)
            return CheckResult.Fail(id, what, "One token off: look at how the split rounds the training part, and give validation everything that is left.");
        return CheckResult.Fail(id, what, $"{got:N0} is not what remains: the split keeps a fraction {trainFraction} of the {ids.Length:N0} tokens for training, rounded down.");
    }

    /// <summary>
    /// Lesson 2, "2.targets": passes when <paramref name="targets"/> holds, row by row, the next-token targets of the
    /// windows of <paramref name="seqLen"/> tokens of <paramref name="stream"/> that start at <paramref name="starts"/>:
    /// one id per input position, the token that follows it in the stream.
    /// </summary>
    public static QuizResult NextTokenTargets(string id, int[]? targets, int[] stream, int[] starts, int seqLen)
    {
        const string what = "next-token targets";
        if (targets is null)
            return CheckResult.Open(id, what, "Build the targets in place of null and run the cell again.");
        int batch = starts.Length;
        var expected = starts.SelectMany(s => stream[(s + 1)..(s + seqLen + 1)]).ToArray();
        var inputs = starts.SelectMany(s => stream[s..(s + seqLen)]).ToArray();
        if (targets.SequenceEqual(expected))
            return CheckResult.Pass(id, what, $"{targets.Length} ids, ({batch}, {seqLen}) like the inputs: one target per input position.");
        if (targets.Length == batch)
            return CheckResult.Fail(id, what, $"One target per window: the model predicts after every position, so a ({batch}, {seqLen}) input needs as many targets as it has ids.");
        if (targets.Length != expected.Length)
            return CheckResult.Fail(id, what, $"You have {targets.Length} ids; the input batch holds {inputs.Length}, and each input position gets exactly one target.");
        if (targets.SequenceEqual(inputs))
            return CheckResult.Fail(id, what, "These are the inputs themselves: the target at a position is the token that comes after it.");
        int row = Enumerable.Range(0, batch).First(r => !targets.AsSpan(r * seqLen, seqLen).SequenceEqual(expected.AsSpan(r * seqLen, seqLen)));
        return CheckResult.Fail(id, what, $"Row {row} (the window starting at {starts[row]}) is off: each of its targets is the stream's token one place after the matching input.");
    }
}
