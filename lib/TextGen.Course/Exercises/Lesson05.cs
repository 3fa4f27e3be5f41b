// Checks of lesson 5's cells: the average factor by which a gradient shrinks per step back in time, read from the
// measured table, and clipping by the global norm written by hand, compared with GradientClipping.ClipGradNorm.
using TextGen.Optim;
using TextGen.Tensors;

namespace TextGen.Course;

public static partial class Exercise
{
    /// <summary>
    /// Check 5.factor: passes when <paramref name="factor"/> is the geometric mean factor per step of the gradient between
    /// distance 0 and <paramref name="distance"/>, (‖g at distance‖ / ‖g at 0‖)^(1/distance), within 1%.
    /// </summary>
    /// <param name="id">The check's id.</param>
    /// <param name="factor">The learner's value; null is unanswered.</param>
    /// <param name="norms">‖∂L/∂x_t‖ for t = 0..T-1 as GradientFlow.InputGradientNorms returns them (distance d is index T-1-d).</param>
    /// <param name="distance">How many steps back the learner compares.</param>
    public static QuizResult PerStepFactor(string id, double? factor, IReadOnlyList<double> norms, int distance)
    {
        string title = $"the gradient's average factor per step back over {distance} steps";
        if (factor is null) return CheckResult.Of(id, QuizStatus.Unanswered, title, "Compute the factor from the table and run the cell again.");
        double near = norms[^1], far = norms[norms.Count - 1 - distance];
        double ratio = far / near, expected = Math.Pow(ratio, 1.0 / distance);
        double f = factor.Value;
        if (Math.Abs(f - expected) <= 0.01 * expected)
            return CheckResult.Of(id, QuizStatus.Correct, title, $"{f:G4}: each step back keeps about {expected:P0} of the gradient, and {distance} such steps multiply to {ratio:E1}.");
        string why = L5.Near(f, 1 / expected) ? "You inverted the ratio: the factor going back is the far norm over the near one, which is below 1."
            : L5.Near(f, ratio) ? $"That is the whole ratio over {distance} steps; the factor per step is its {distance}th root, ratio^(1/{distance})."
            : L5.Near(f, ratio / distance) || L5.Near(f, 1 - (1 - ratio) / distance) ? $"The decay is geometric, not linear: take the {distance}th root of the ratio (Math.Pow(ratio, 1.0 / {distance})), not a division by {distance}."
            : L5.Near(f, Math.Pow(ratio, 1.0 / (distance + 1))) || L5.Near(f, Math.Pow(ratio, 1.0 / (distance - 1))) ? $"Count the steps: from distance 0 to distance {distance} the gradient passes {distance} steps."
            : $"Use the RNN's norms at distance 0 and distance {distance}: factor = (far / near)^(1/{distance}).";
        return CheckResult.Of(id, QuizStatus.Wrong, title, $"{f:G4} is not it.", why);
    }

    /// <summary>
    /// Check 5.clip: runs the learner's <paramref name="clip"/> on gradients above and below the threshold and compares
    /// the result with <see cref="GradientClipping.ClipGradNorm"/>; passes when every value agrees to 1e-5.
    /// </summary>
    /// <param name="id">The check's id.</param>
    /// <param name="clip">The learner's function: the gradients of several parameters and the largest allowed global norm in,
    /// the clipped gradients out (in place or new arrays); null or returning null is unanswered.</param>
    public static QuizResult ClipByGlobalNorm(string id, Func<float[][], float, float[][]?>? clip)
    {
        const string title = "clipping by the global gradient norm";
        var g = new Generator(505);
        // Three parameters' gradients: a large one (global norm far above the threshold), then a small one (below it).
        float[][] Draw(float scale) => [.. new[] { 6, 4, 3 }.Select(n => Tensor.Uniform(g, -scale, scale, n).ToArray())];
        const float maxNorm = 1f;
        foreach (var (grads, what) in new[] { (Draw(2f), "a gradient of norm above 1"), (Draw(0.05f), "a gradient of norm below 1") })
        {
            var expected = L5.Reference(grads, maxNorm);
            float[][]? mine;
            try { mine = clip?.Invoke(grads.Select(a => (float[])a.Clone()).ToArray(), maxNorm); }
            catch (Exception e) { return CheckResult.Of(id, QuizStatus.Wrong, title, $"Your function stopped with: {e.Message}", "Loop over every array and every value: first sum the squares of all of them, then scale."); }
            if (mine is null) return CheckResult.Of(id, QuizStatus.Unanswered, title, "Complete the function so that it returns the clipped gradients, then run the cell again.");
            if (mine.Length != grads.Length || mine.Where((a, k) => a is null || a.Length != grads[k].Length).Any())
                return CheckResult.Of(id, QuizStatus.Wrong, title, $"For {what} you returned {mine.Length} arrays of other sizes; return one array per parameter, each as long as its gradient.");
            if (Enumerable.Range(0, mine.Length).Select(k => CheckResult.NonFinite(mine[k]) is { } at ? $"array {k}: {at}" : null).FirstOrDefault(w => w is not null) is { } where)
                return CheckResult.Of(id, QuizStatus.Wrong, title, $"For {what} your result holds {where}.", "Scaling by maxNorm / norm keeps finite values finite: look for a division by a zero norm or a square root of a negative sum.");
            if (Difference.Largest(mine, expected) <= 1e-5f) continue;
            return CheckResult.Of(id, QuizStatus.Wrong, title, $"For {what} with maxNorm {maxNorm} (global norm {L5.Norm(grads):G3}) your result differs from GradientClipping.ClipGradNorm.", L5.ClipSlip(mine, grads, maxNorm));
        }
        return CheckResult.Of(id, QuizStatus.Correct, title, "Your clipping equals GradientClipping.ClipGradNorm: a large gradient is scaled down to norm 1 with its direction kept, a small one passes unchanged.");
    }
}

/// <summary>Helpers of lesson 5's checks, local to this file so other lessons' check files can use the same names.</summary>
file static class L5
{
    /// <summary>Whether a is within 1% of b.</summary>
    public static bool Near(double a, double b) => Math.Abs(a - b) <= 0.01 * Math.Abs(b) + 1e-12;

    /// <summary>The library's clipping of copies of the gradients.</summary>
    public static float[][] Reference(float[][] grads, float maxNorm)
    {
        var tensors = grads.Select(a => new Tensor((float[])a.Clone(), a.Length) { Grad = new Tensor((float[])a.Clone(), a.Length) }).ToArray();
        GradientClipping.ClipGradNorm(tensors, maxNorm);
        return [.. tensors.Select(t => t.Grad!.ToArray())];
    }

    /// <summary>The global norm of several gradients.</summary>
    public static double Norm(float[][] grads) => Math.Sqrt(grads.Sum(a => a.Sum(v => (double)v * v)));

    /// <summary>Which common slip the learner's clipped gradients match.</summary>
    public static string ClipSlip(float[][] mine, float[][] grads, float maxNorm)
    {
        double norm = Norm(grads);
        var clamped = grads.Select(a => a.Select(v => Math.Clamp(v, -maxNorm, maxNorm)).ToArray()).ToArray();
        var perArray = grads.Select(a => { double n = Math.Sqrt(a.Sum(v => (double)v * v)); return n > maxNorm ? a.Select(v => (float)(v * maxNorm / n)).ToArray() : a; }).ToArray();
        var always = grads.Select(a => a.Select(v => (float)(v * maxNorm / norm)).ToArray()).ToArray();
        if (Difference.Largest(mine, clamped) <= 1e-5f) return "You clamped each value to [-maxNorm, maxNorm]: that changes the gradient's direction. Clipping by norm scales all values by one factor, maxNorm / norm.";
        if (Difference.Largest(mine, perArray) <= 1e-5f) return "You clipped each parameter's gradient on its own norm. The norm to compare is the global one, over all arrays together, and one factor scales them all.";
        if (norm < maxNorm && Difference.Largest(mine, always) <= 1e-5f) return "You scaled a small gradient up to maxNorm. Clipping only ever shrinks: below the threshold the gradient passes unchanged.";
        if (Difference.Largest(mine, grads) <= 1e-5f) return "Nothing was clipped: compute the global norm (the square root of the sum of all squares), and when it exceeds maxNorm multiply every value by maxNorm / norm.";
        return "The global norm is the square root of the sum of the squares of all values of all arrays; when it exceeds maxNorm, multiply every value by maxNorm / norm.";
    }
}
