// Checks of lesson 9's check cells: the parameters a word vocabulary costs in the embedding and output layers,
// and the conversion of a per-token loss into bits per character. Expected values are computed here, never in the cell.
using TextGen.Nn;

namespace TextGen.Course;

/// <summary>Checks of what the learner wrote in a lesson's check cells, one file per lesson.</summary>
public static partial class Exercise
{
    /// <summary>
    /// Lesson 9, "9.params": passes when <paramref name="count"/> is the number of parameters of <paramref name="model"/>'s
    /// embedding table and output layer (weights and biases), read from the model itself.
    /// </summary>
    public static QuizResult InputOutputParameters(string id, long? count, CharRnnModel model)
    {
        const string what = "parameters of the embedding and output layers";
        if (count is null)
            return CheckResult.Open(id, what, "Write your number (or an expression of words.VocabularySize, options.EmbeddingDim and options.HiddenSize) in place of null and run the cell again.");
        var c = model.Config;
        long v = c.VocabularySize, embedding = v * c.EmbeddingDim, weights = v * c.HiddenSize, bias = v;
        long expected = embedding + weights + bias;
        long got = count.Value;
        if (got == expected)
            return CheckResult.Pass(id, what, $"{expected:N0}: {v:N0} rows of {c.EmbeddingDim} in the embedding, {v:N0} rows of {c.HiddenSize} weights and {v:N0} biases in the output layer.");
        if (got == embedding + weights)
            return CheckResult.Fail(id, what, "Close: the output layer also adds a bias to each of its outputs, one per token of the vocabulary.");
        if (got == embedding || got == weights + bias || got == weights)
            return CheckResult.Fail(id, what, "Count both layers: the embedding turns each token id into a vector, the output layer turns the hidden state into one score per token.");
        if (got == v * v + weights + bias || got == v * (c.EmbeddingDim + c.HiddenSize) * 2)
            return CheckResult.Fail(id, what, "Each layer is a table with one row per token: the embedding's rows are EmbeddingDim long, the output layer's HiddenSize long (plus one bias per row).");
        return CheckResult.Fail(id, what, $"{got:N0} is not it. Both layers have one row per token of the vocabulary ({v:N0}): how long is a row in each, and what does the output layer add per row?");
    }

    /// <summary>
    /// Lesson 9, "9.bpc": passes when <paramref name="bitsPerCharacter"/>, given a mean loss in nats per token, the number
    /// of tokens it was measured on and the number of characters those tokens cover, returns bits per character.
    /// </summary>
    public static QuizResult BitsPerCharacter(string id, Func<double, long, long, double>? bitsPerCharacter)
    {
        const string what = "bits per character from a loss per token";
        if (bitsPerCharacter is null)
            return CheckResult.Open(id, what, "Write the function in place of null and run the cell again.");
        (double Nats, long Tokens, long Chars)[] cases = [(4.2, 12_000, 54_000), (1.3, 50_000, 50_000), (5.0, 100, 700)];
        foreach (var (nats, tokens, chars) in cases)
        {
            double expected = nats * tokens / Math.Log(2) / chars, got;
            try { got = bitsPerCharacter(nats, tokens, chars); }
            catch (Exception e) { return CheckResult.Fail(id, what, $"The function threw {e.GetType().Name} for ({nats}, {tokens}, {chars}): {e.Message}"); }
            if (Math.Abs(got - expected) <= 1e-6 * Math.Max(1, expected)) continue;
            string at = $"For {nats} nats per token over {tokens:N0} tokens covering {chars:N0} characters it gives {got:G4}, not {expected:G4}.";
            if (Math.Abs(got - nats / Math.Log(2)) < 1e-6) return CheckResult.Fail(id, what, at, "That is bits per token: spread the total over the characters the tokens cover.");
            if (Math.Abs(got - nats * tokens / chars) < 1e-6) return CheckResult.Fail(id, what, at, "That is nats per character: one bit is ln 2 nats, so divide by Math.Log(2).");
            if (Math.Abs(got - nats * chars / Math.Log(2) / tokens) < 1e-6) return CheckResult.Fail(id, what, at, "Tokens and characters are swapped: the total (loss times tokens) is shared out over the characters.");
            if (Math.Abs(got - nats * tokens * Math.Log(2) / chars) < 1e-6) return CheckResult.Fail(id, what, at, "Nats are turned into bits by dividing by ln 2, not multiplying.");
            return CheckResult.Fail(id, what, at, "Total nats = loss per token times tokens; total bits = total nats / ln 2; then per character.");
        }
        return CheckResult.Pass(id, what, "Total nats (loss times tokens), divided by ln 2 for bits, shared out over the characters.");
    }
}
