// The check cells of lesson 7 (training a character model): steps in an epoch, the loss of a model that knows
// nothing, and a cross-entropy computed by hand. Each expected value is computed here, never in the learner's cell.
using TextGen.Tensors;
using TextGen.Training;

namespace TextGen.Course;

public static partial class Exercise
{
    /// <summary>
    /// Check 7.epoch: the optimizer steps in one pass over <paramref name="trainTokens"/> tokens cut into batches of
    /// <paramref name="batchSize"/> contiguous lanes of <paramref name="seqLen"/> tokens, as <see cref="TokenBatches"/> cuts them.
    /// </summary>
    public static QuizResult EpochSteps(string id, int? steps, int[] trainTokens, int batchSize, int seqLen)
    {
        const string what = "steps in one epoch";
        if (steps is null) return CheckResult.Open(id, what, "Set stepsPerEpoch to a number (or an expression) and run the cell again.");
        int expected = new TokenBatches(trainTokens, batchSize, seqLen, stateful: true, seed: 1).StepsPerEpoch;
        if (steps == expected) return CheckResult.Pass(id, what, $"{expected:N0} steps of {batchSize} x {seqLen} tokens make one pass over the {trainTokens.Length:N0} training tokens.");
        long n = trainTokens.Length;
        string hint = steps == expected + 1
            ? "Round down: the text left over after the last full batch does not make a step."
            : Math.Abs(steps.Value - n / seqLen) <= 1
            ? "That counts sequences of seqLen tokens; one step reads batchSize of them at once."
            : Math.Abs(steps.Value - n / batchSize) <= 1
                ? "That is the length of one lane (tokens / batchSize); a step reads seqLen tokens of every lane."
                : Math.Abs((double)steps.Value - n) <= 1
                    ? "That counts tokens; a step reads batchSize x seqLen of them."
                    : $"An epoch reads every training token once; each step reads batchSize x seqLen = {batchSize * seqLen:N0} tokens.";
        return CheckResult.Fail(id, what, $"{steps:N0} is not it.", hint);
    }

    /// <summary>Check 7.lnv: the loss, in nats, of a model that gives each of <paramref name="vocabularySize"/> tokens the same probability.</summary>
    public static QuizResult InitialLossPrediction(string id, double? predicted, int vocabularySize)
    {
        const string what = "the loss of a uniform prediction";
        if (predicted is null) return CheckResult.Open(id, what, "Set expectedInitialLoss to a number or an expression in V and run the cell again.");
        double v = vocabularySize, expected = Math.Log(v), p = predicted.Value;
        if (Math.Abs(p - expected) <= 0.01) return CheckResult.Pass(id, what, $"-ln(1/{vocabularySize}) = ln {vocabularySize} = {expected:F3} nats.");
        string hint =
            CheckResult.Near(p, Math.Log2(v)) ? "That is in bits (log base 2); the training loss uses the natural log, in nats." :
            CheckResult.Near(p, Math.Log10(v)) ? "That is log base 10; the training loss uses the natural log (Math.Log)." :
            CheckResult.Near(p, 1 / v) ? "That is the probability of the right character; the loss is minus its log." :
            CheckResult.Near(p, Math.Log(1 / v)) ? "That is the log-probability; the loss is minus it, so it is positive." :
            CheckResult.Near(p, v) ? "The loss is not a count: it is -log of the probability the model gives the right character." :
            "Each character gets probability 1/V; the loss at a position is -log of the right character's probability.";
        return CheckResult.Fail(id, what, $"{p:G6} is not it.", hint);
    }

    /// <summary>
    /// Check 7.xent: the mean cross-entropy of <paramref name="logits"/> (..., V) against one target id per row, the learner's
    /// number against the library's <see cref="Ops.CrossEntropy"/>.
    /// </summary>
    public static QuizResult HandCrossEntropy(string id, double? loss, Tensor logits, int[] targets)
    {
        const string what = "cross-entropy by hand";
        if (loss is null) return CheckResult.Open(id, what, "Set handLoss to the mean of -log p(target) and run the cell again.");
        double expected;
        double[] lp;
        using (Autograd.NoGrad())
        {
            expected = Ops.CrossEntropy(logits, targets).Item();
            lp = Array.ConvertAll(Ops.LogSoftmax(logits).Data, x => (double)x);
        }
        double l = loss.Value;
        if (Math.Abs(l - expected) <= 1e-4 * Math.Max(1, Math.Abs(expected)))
            return CheckResult.Pass(id, what, $"{l:F6} nats; the library's cross-entropy gives {expected:F6}.");
        int rows = targets.Length, v = lp.Length / Math.Max(1, rows);
        double sumTarget = 0;
        for (int r = 0; r < rows; r++) sumTarget += lp[r * v + targets[r]];
        string hint =
            CheckResult.Near(l, -expected, 1e-4) ? "Your loss is negative: a log-probability is at most 0, and the loss is minus it." :
            CheckResult.Near(l, -sumTarget, 1e-3 * Math.Abs(sumTarget)) ? "That is the sum over the positions; the loss is their mean." :
            CheckResult.Near(l, -lp.Average(), 1e-4) ? "That averages -log p over every character of the vocabulary; only the target's entry counts at each position." :
            "At each position take the log-probability of that position's target (logProbs[r, targets[r]]), negate it, and average over the positions.";
        return CheckResult.Fail(id, what, $"{l:G6} is not the cross-entropy.", hint);
    }
}
