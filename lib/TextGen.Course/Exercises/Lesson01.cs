// Checks of lesson 1's check cells: a tensor the learner builds (the transpose of a matrix) and a gradient the
// learner works out by hand. The expected values are computed here, so the learner's cell never shows them.
using TextGen.Tensors;

namespace TextGen.Course;

/// <summary>Checks of what the learner wrote in a lesson's check cells, one file per lesson.</summary>
public static partial class Exercise
{
    /// <summary>
    /// Lesson 1, "1.transpose": passes when <paramref name="transposed"/> is the transpose of <paramref name="matrix"/>,
    /// shape first, then every element; a wrong answer says whether the shape or the order of the numbers is off.
    /// </summary>
    public static QuizResult Transpose(string id, Tensor? transposed, Tensor matrix)
    {
        const string what = "the transpose of m";
        if (transposed is null)
            return CheckResult.Open(id, what, "Build the tensor in place of null and run the cell again.");
        var expected = Ops.Transpose(matrix);
        if (!transposed.Shape.SequenceEqual(expected.Shape))
            return CheckResult.Fail(id, what, $"It has shape {transposed.ShapeString}, but a transpose swaps the number of rows and columns of m {matrix.ShapeString}.");
        if (CheckResult.NonFinite(transposed) is { } where)
            return CheckResult.Fail(id, what, $"The shape is right, but it holds {where}: a transpose only moves m's numbers, all finite.");
        if (transposed.Data.SequenceEqual(expected.Data))
            return CheckResult.Pass(id, what, $"{transposed.ShapeString}, and every mT[i, j] equals m[j, i].");
        if (transposed.Data.SequenceEqual(matrix.Data))
            return CheckResult.Fail(id, what, "The shape is right, but the numbers are in m's order: a tensor is filled row by row, so the first row of mT must be m's first column.");
        int i = Enumerable.Range(0, expected.Numel).First(k => transposed.Data[k] != expected.Data[k]);
        int cols = expected.Size(1);
        return CheckResult.Fail(id, what, $"mT[{i / cols}, {i % cols}] should equal m[{i % cols}, {i / cols}]; it is {transposed.Data[i]:G4}.");
    }

    /// <summary>
    /// Lesson 1, "1.grad": passes when <paramref name="gradient"/> is dy/dw of y = Σ (w_i x_i)² at <paramref name="w"/>,
    /// <paramref name="x"/>, as autograd computes it (within 1e-3); a wrong answer names the usual slip it matches.
    /// </summary>
    public static QuizResult HandGradient(string id, float[]? gradient, float[] w, float[] x)
    {
        const string what = "dy/dw by hand";
        if (gradient is null)
            return CheckResult.Open(id, what, "Write the three numbers in place of null and run the cell again.");
        var wt = Tensor.FromArray(w, w.Length).RequireGrad();
        Ops.Sum(Ops.Square(wt * Tensor.FromArray(x, x.Length))).Backward();
        var expected = wt.Grad!.Data;
        if (gradient.Length != expected.Length)
            return CheckResult.Fail(id, what, $"You gave {gradient.Length} numbers; the gradient has one number per weight w_i, so {expected.Length}.");
        if (CheckResult.NonFinite(gradient) is { } where)
            return CheckResult.Fail(id, what, $"Your gradient holds {where}: write three ordinary numbers.");
        if (Near(gradient, expected))
            return CheckResult.Pass(id, what, $"[{string.Join(", ", expected)}], as Backward() computes it.");
        if (Near(gradient, w.Zip(x, (wi, xi) => 2 * wi * xi).ToArray()))
            return CheckResult.Fail(id, what, "That is 2 w x: the chain rule brings in x once more, because the inside of the square, w x, changes by x when w changes by 1.");
        if (Near(gradient, expected.Select(g => -g).ToArray()))
            return CheckResult.Fail(id, what, "Every sign is flipped: the derivative of a square (w x)² has the sign of w x.");
        if (Near(gradient, w.Zip(x, (wi, xi) => 2 * wi * wi * xi).ToArray()))
            return CheckResult.Fail(id, what, "That is dy/dx, the derivative with respect to x: differentiate with respect to w instead.");
        var off = Enumerable.Range(0, expected.Length).Where(k => MathF.Abs(gradient[k] - expected[k]) > 1e-3f * MathF.Max(1, MathF.Abs(expected[k]))).ToList();
        return CheckResult.Fail(id, what, $"Your {(off.Count == 1 ? "value at index" : "values at indices")} {string.Join(", ", off)} {(off.Count == 1 ? "is" : "are")} off. Use the rule derived above, one weight at a time, with w2 and x2.");
    }

    private static bool Near(float[] a, float[] b) =>
        a.Length == b.Length && a.Zip(b).All(p => MathF.Abs(p.First - p.Second) <= 1e-3f * MathF.Max(1, MathF.Abs(p.Second)));
}
