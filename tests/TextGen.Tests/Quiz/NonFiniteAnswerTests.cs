// Every check of a learner's tensor (or array of numbers) fails an answer that holds a NaN or ±∞ anywhere, even where
// every other value is right: the right answer is built independently here, one value is replaced, at every position in
// turn. A loop that kept `max` with `if (!(d <= max)) max = d` forgot such a NaN as soon as a finite difference followed.
using TextGen.Nn;
using TextGen.Course;
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests.Quiz;

public class NonFiniteAnswerTests
{
    private static readonly float[] NonFinite = [float.NaN, float.PositiveInfinity, float.NegativeInfinity];

    /// <summary>A check: how many values its right answer has, and its result when value k of that answer is replaced by v (k = -1: none).</summary>
    private sealed record Case(int Values, Func<int, float, QuizResult> Judge);

    private static Tensor With(Tensor t, int k, float v)
    {
        var copy = t.Detach().Clone();
        if (k >= 0) copy.Data[k] = v;
        return copy;
    }

    private static float[] With(float[] a, int k, float v)
    {
        var copy = (float[])a.Clone();
        if (k >= 0) copy[k] = v;
        return copy;
    }

    // Top-k by hand, the closed form 8.topk expects: the k likeliest kept, the rest 0, rescaled to sum to 1.
    private static float[] TopK(float[] p, int k)
    {
        var kept = p.Select((x, i) => (x, i)).OrderByDescending(t => t.x).ThenBy(t => t.i).Take(k).Select(t => t.i).ToHashSet();
        double sum = kept.Sum(i => (double)p[i]);
        return [.. p.Select((x, i) => kept.Contains(i) ? (float)(x / sum) : 0f)];
    }

    private static Tensor Xw(Tensor a, Tensor w, Tensor b) => Ops.Add(Ops.MatMul(a, w, transposeB: true), b);

    private static Case For(string check)
    {
        switch (check)
        {
            case "1.transpose":
            {
                var m = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
                var right = Tensor.FromArray([1f, 4f, 2f, 5f, 3f, 6f], 3, 2);
                return new(6, (k, v) => Exercise.Transpose(check, With(right, k, v), m));
            }
            case "1.grad":
                return new(3, (k, v) => Exercise.HandGradient(check, With([18f, -4f, 4f], k, v), [1f, -2f, 0.5f], [3f, 1f, -2f]));
            case "4.step":
            {
                var cell = new RnnCell(3, 4, generator: new Generator(7));
                // The learner's step: right, with one value of h' replaced in place (its gradient history stays).
                return new(3 * 4, (k, v) => Exercise.RnnStep(check, (x, h) =>
                {
                    var next = Ops.Tanh(Ops.Add(Xw(x, cell.WeightIh, cell.BiasIh), Xw(h, cell.WeightHh, cell.BiasHh)));
                    if (k >= 0) next.Data[k] = v;
                    return next;
                }, cell.WeightIh, cell.WeightHh, cell.BiasIh, cell.BiasHh));
            }
            case "4.last":
            {
                var head = new Linear(16, 5, generator: new Generator(6));
                var (ys, _) = new Rnn(8, 16, batchFirst: true, generator: new Generator(5)).Forward(Tensor.Uniform(new Generator(8), -1, 1, 2, 7, 8));
                var right = head.Forward(Ops.Select(ys, 1, 6));
                return new(2 * 5, (k, v) => Exercise.ManyToOne(check, ys, head)(With(right, k, v)));
            }
            case "5.clip":
                // Three parameters of 6, 4 and 3 values (as the check draws them): position k counts through all of them.
                return new(13, (k, v) => Exercise.ClipByGlobalNorm(check, (grads, maxNorm) =>
                {
                    double norm = Math.Sqrt(grads.Sum(a => a.Sum(x => (double)x * x)));
                    var clipped = grads.Select(a => a.Select(x => norm > maxNorm ? (float)(x * maxNorm / norm) : x).ToArray()).ToArray();
                    for (int p = 0, at = k; p < clipped.Length && at >= 0; at -= clipped[p].Length, p++)
                        if (at < clipped[p].Length) clipped[p][at] = v;
                    return clipped;
                }));
            case "6.cell c'":
            case "6.cell h'":
            {
                var cell = new LstmCell(3, 4, generator: new Generator(7));
                var x = Tensor.Uniform(new Generator(1), -1, 1, 2, 3);
                var h = Tensor.Uniform(new Generator(2), -1, 1, 2, 4);
                var c = Tensor.Uniform(new Generator(3), -1, 1, 2, 4);
                var (hNext, cNext) = cell.Step(x, h, c);
                bool inC = check.EndsWith("c'", StringComparison.Ordinal);
                return new(2 * 4, (k, v) => Exercise.LstmUpdate("6.cell", cell, x, h, c)(inC ? With(cNext!, k, v) : cNext, inC ? hNext : With(hNext, k, v)));
            }
            case "6.forget":
            {
                var lstm = new Lstm(64, 83);
                var right = Ops.Slice(lstm.StateDict()["bias_ih_l0"], 0, 83, 83);
                return new(83, (k, v) => Exercise.ForgetGateBias(check, lstm)(With(right, k, v)));
            }
            case "8.temp":
            {
                float[] logits = [2f, 1f, 0.5f, -1f];
                double[] e = [.. logits.Select(l => Math.Exp(l / 0.5))];
                float[] right = [.. e.Select(x => (float)(x / e.Sum()))];
                return new(4, (k, v) => Exercise.TemperatureSoftmax(check, With(right, k, v), logits, 0.5f));
            }
            case "8.topk":
            {
                float[] logits = [0.5f, 2f, -1f, 1f, 0f, 3f, -2f, 1.5f];
                return new(4, (k, v) => Exercise.TopKFilter(check, (p, kk) => With(TopK(p, kk), k, v), logits));
            }
            case "11.mask":
                return new(9, (k, v) => Exercise.MaskedSoftmax(check, s =>
                {
                    var w = LateLessonExerciseTests.CausalSoftmax(s);
                    if (k >= 0) w[k / 3][k % 3] = v;
                    return w;
                }));
            case "Check.Shape":
                return new(6, (k, v) => Check.Shape("s", With(Tensor.Uniform(new Generator(3), -1, 1, 2, 3), k, v), 2, 3));
            default:
                throw new ArgumentException($"no case for {check}");
        }
    }

    [Theory]
    [InlineData("1.transpose")]
    [InlineData("1.grad")]
    [InlineData("4.step")]
    [InlineData("4.last")]
    [InlineData("5.clip")]
    [InlineData("6.cell c'")]
    [InlineData("6.cell h'")]
    [InlineData("6.forget")]
    [InlineData("8.temp")]
    [InlineData("8.topk")]
    [InlineData("11.mask")]
    [InlineData("Check.Shape")]
    public void A_nan_or_infinity_anywhere_in_an_otherwise_right_answer_fails_the_check_with_feedback(string check)
    {
        var c = For(check);
        var right = c.Judge(-1, 0);
        Assert.True(right.Status == QuizStatus.Correct, $"{check}: the right answer does not pass: {string.Join(" | ", right.Feedback)}");
        for (int k = 0; k < c.Values; k++)
            foreach (var v in NonFinite)
            {
                var r = c.Judge(k, v);
                Assert.True(r.Status == QuizStatus.Wrong, $"{check}: {v} at position {k} gives {r.Status}");
                Assert.NotEmpty(r.Feedback);
            }
    }
}
