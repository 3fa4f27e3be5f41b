// The check cells of lesson 8 (sampling): a softmax with temperature written by hand, top-k filtering written by hand,
// and the number of tokens a sliding-window generator feeds through the network. Each expected value is computed here, never in the learner's cell.
using TextGen.Generation;
using TextGen.Tensors;

namespace TextGen.Course;

public static partial class Exercise
{
    /// <summary>Check 8.temp: the distribution softmax(<paramref name="logits"/> / <paramref name="temperature"/>), as the sampler computes it.</summary>
    public static QuizResult TemperatureSoftmax(string id, float[]? probabilities, float[] logits, float temperature)
    {
        string what = $"softmax at temperature {temperature}";
        if (probabilities is null) return CheckResult.Open(id, what, "Set tempered to the array of probabilities and run the cell again.");
        var expected = new LogitsSampler(new SamplingOptions { Temperature = temperature }).Distribution(logits).ToArray();
        if (probabilities.Length != expected.Length)
            return CheckResult.Fail(id, what, $"{probabilities.Length} probabilities for {expected.Length} logits.", "Give one probability per logit.");
        if (CheckResult.NonFinite(probabilities) is { } where)
            return CheckResult.Fail(id, what, $"Your probabilities hold {where}.", "exp of a large logit overflows: subtract the largest logit (divided by T) before taking exp.");
        if (Difference.Largest(probabilities, expected) <= 1e-5f)
            return CheckResult.Pass(id, what, $"[{Sampling.List(probabilities)}]: the top token's share grew from {Softmax(logits, 1)[Array.IndexOf(expected, expected.Max())]:F3} at T = 1 to {expected.Max():F3}.");
        double sum = probabilities.Sum(p => (double)p);
        string hint =
            Sampling.Same(probabilities, Softmax(logits, 1 / temperature)) ? "You multiplied the logits by T: divide them by T, so that T below 1 sharpens." :
            Sampling.Same(probabilities, Softmax(logits, 1)) ? "That is the softmax at T = 1: divide the logits by the temperature first." :
            Math.Abs(sum - 1) > 1e-3 ? $"Your probabilities add up to {sum:G4}, not 1: divide each exponential by their sum." :
            "Divide every logit by T, take exp of each (minus the largest, so nothing overflows), then divide by their sum.";
        return CheckResult.Fail(id, what, $"[{Sampling.List(probabilities)}] is not it.", hint);
    }

    /// <summary>
    /// Check 8.topk: runs the learner's <paramref name="topK"/> on copies of two distributions (four toy logits with k = 2,
    /// and the model's next-character <paramref name="logits"/> with k = 5) and compares it with the library's top-k
    /// (<see cref="LogitsSampler.Distribution"/> with <see cref="SamplingOptions.TopK"/>) on the same logits.
    /// </summary>
    /// <param name="id">The check's id.</param>
    /// <param name="topK">The learner's function: probabilities and k in, the filtered probabilities out; null, or
    /// returning null, is unanswered.</param>
    /// <param name="logits">The model's logits after a prompt.</param>
    public static QuizResult TopKFilter(string id, Func<float[], int, float[]?>? topK, float[] logits)
    {
        const string what = "top-k by hand";
        var cases = new[] { ("four toy logits [2, 1, 0, -1]", new[] { 2f, 1f, 0f, -1f }, 2), ("the model's logits after the prompt", (float[])logits.Clone(), 5) };
        foreach (var (name, z, k) in cases)
        {
            // The reference first, from its own copies: the learner's function may write into the array it is given.
            var probabilities = Softmax(z, 1);
            var expected = new LogitsSampler(new SamplingOptions { Temperature = 1f, TopK = k }).Distribution(z).ToArray();
            float[]? mine;
            try { mine = topK?.Invoke((float[])probabilities.Clone(), k); }
            catch (Exception e) { return CheckResult.Fail(id, what, $"On {name} your function stopped with: {e.Message}", "Sort the indices by probability (largest first), keep the first k, set the others to 0, divide by the kept sum."); }
            if (mine is null) return CheckResult.Open(id, what, "Complete KeepTopK so that it returns the filtered probabilities, then run the cell again.");
            if (mine.Length != expected.Length)
                return CheckResult.Fail(id, what, $"On {name} you returned {mine.Length} values for {expected.Length} tokens.", "Return one probability per token: 0 for the ones you drop.");
            if (CheckResult.NonFinite(mine) is { } where)
                return CheckResult.Fail(id, what, $"On {name} your result holds {where}.", "The kept probabilities are positive and their sum is above 0: look for a division by a sum of nothing.");
            if (Difference.Largest(mine, expected) <= 1e-6f) continue;
            return CheckResult.Fail(id, what, $"On {name} with k = {k}: [{Sampling.List(mine.Take(8).ToArray())}{(mine.Length > 8 ? ", ..." : "")}] is not it.", TopKSlip(mine, probabilities, k));
        }
        return CheckResult.Pass(id, what, "Your top-k equals LogitsSampler's top-k on the same logits: on the toy logits [0.731, 0.269, 0, 0] (the two likeliest, rescaled), and on the model's distribution its 5 likeliest characters.");
    }

    private static string TopKSlip(float[] mine, float[] probabilities, int k)
    {
        var order = Enumerable.Range(0, probabilities.Length).OrderByDescending(i => probabilities[i]).ThenBy(i => i).ToArray();
        float[] Keep(IEnumerable<int> kept, bool rescale)
        {
            var r = new float[probabilities.Length];
            foreach (var i in kept) r[i] = probabilities[i];
            double s = r.Sum(x => (double)x);
            return rescale ? r.Select(x => (float)(x / s)).ToArray() : r;
        }
        int nonZero = mine.Count(x => x != 0);
        return Sampling.Same(mine, Keep(order.Take(k), rescale: false)) ? "You kept the right tokens; now divide them by their sum, so that the distribution adds up to 1 again."
            : Sampling.Same(mine, Keep(order.Reverse().Take(k), rescale: true)) ? "You kept the k least likely tokens: sort from the largest probability down."
            : nonZero != k ? $"You kept {nonZero} tokens with a probability above 0; top-k keeps exactly k of them."
            : "Sort the indices by probability, largest first; keep the first k, set the others to 0, divide the kept ones by their sum.";
    }

    /// <summary>
    /// Check 8.fed: tokens a sliding window of <paramref name="window"/> feeds through the network to generate
    /// <paramref name="length"/> tokens after a prompt of <paramref name="promptLength"/> (see <see cref="SlidingWindowGenerator.TokensFed"/>).
    /// </summary>
    public static QuizResult WindowFeedCount(string id, long? fed, int promptLength, int length, int window)
    {
        const string what = "tokens the sliding window feeds";
        if (fed is null) return CheckResult.Open(id, what, "Set windowFed to a number (or an expression) and run the cell again.");
        long expected = SlidingWindowGenerator.TokensFed(promptLength, length, window);
        if (fed == expected) return CheckResult.Pass(id, what, $"{expected:N0} tokens for {length} new ones: about {(double)expected / length:F1} per token.");
        string hint =
            fed == (long)length * window ? "Close: that assumes every draw reads a full window, but at first the prompt and output are shorter than the window." :
            fed == promptLength + length - 1 || fed == promptLength + length ? "That is what the stateful generator feeds (the prompt once, then one token per step); the window re-reads its context for every draw." :
            fed == (long)(promptLength + length) * window ? "Each draw reads at most the window, and there are as many draws as new tokens." :
            "Before draw i (from 0) the text holds prompt + i tokens; the window reads the last min(window, prompt + i) of them. Add these up.";
        return CheckResult.Fail(id, what, $"{fed:N0} is not it.", hint);
    }

    private static float[] Softmax(float[] logits, float temperature) =>
        new LogitsSampler(new SamplingOptions { Temperature = temperature }).Distribution(logits).ToArray();
}

/// <summary>The results and comparisons lesson 8's checks share.</summary>
file static class Sampling
{
    internal static bool Same(float[] a, float[] b) => a.Length == b.Length && Difference.Largest(a, b) <= 1e-4f;

    internal static string List(float[] p) => string.Join(", ", p.Select(x => x.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)));
}
