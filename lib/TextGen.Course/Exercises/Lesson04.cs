// Checks of lesson 4's cells: the learner's RNN step against the library's RnnCell on random inputs, and the
// many-to-one output against the head applied to the last step's state. A wrong answer names the likely slip.
// References are computed before the learner's code runs, on copies, so code that writes into its inputs cannot move them.
using TextGen.Nn;
using TextGen.Tensors;

namespace TextGen.Course;

public static partial class Exercise
{
    /// <summary>
    /// Check 4.step: runs <paramref name="step"/> and an <see cref="RnnCell"/> holding copies of the same weights on random
    /// inputs and random (non-zero) previous states; passes when they agree to 1e-5 and the result records its gradient
    /// history. The reference is computed first, and the learner's step gets copies of the inputs, so a step that writes
    /// into x, h or the weights cannot move what it is compared with.
    /// </summary>
    /// <param name="id">The check's id.</param>
    /// <param name="step">The learner's step, h' = step(x, h) for x (batch, input) and h (batch, hidden); null or returning null is unanswered.</param>
    /// <param name="weightIh">W_ih, (hidden, input).</param>
    /// <param name="weightHh">W_hh, (hidden, hidden).</param>
    /// <param name="biasIh">b_ih, (hidden).</param>
    /// <param name="biasHh">b_hh, (hidden).</param>
    public static QuizResult RnnStep(string id, Func<Tensor, Tensor, Tensor?>? step, Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh)
    {
        const string title = "the RNN step h' = tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh)";
        int hidden = weightIh.Size(0), input = weightIh.Size(1);
        var (wIh, wHh, bIh, bHh) = (weightIh.Detach().Clone(), weightHh.Detach().Clone(), biasIh.Detach().Clone(), biasHh.Detach().Clone());
        var cell = new RnnCell(input, hidden);
        cell.LoadStateDict(new Dictionary<string, Tensor> { ["weight_ih"] = wIh, ["weight_hh"] = wHh, ["bias_ih"] = bIh, ["bias_hh"] = bHh });
        var g = new Generator(404);
        var x = Tensor.Uniform(g, -1, 1, 3, input);      // (batch 3, input)
        var h = Tensor.Uniform(g, -1, 1, 3, hidden);     // a non-zero state, so that the h W_hhᵀ term counts
        Tensor expected;
        using (Autograd.NoGrad()) expected = cell.Step(x, h, null).H;
        Tensor? mine;
        try { mine = step?.Invoke(x.Clone(), h.Clone()); }
        catch (Exception e)
        {
            return CheckResult.Of(id, QuizStatus.Wrong, title, $"Your step stopped with: {e.Message}",
                "W_ih is (hidden, input) and W_hh is (hidden, hidden), as PyTorch stores them: multiply by their transposes, Ops.MatMul(x, W, transposeB: true).");
        }
        if (mine is null) return CheckResult.Of(id, QuizStatus.Unanswered, title, "Complete the step so that it returns h', then run the cell again.");
        if (!mine.Shape.SequenceEqual([3, hidden]))
            return CheckResult.Of(id, QuizStatus.Wrong, title, $"For x {x.ShapeString} and h {h.ShapeString} your step returned {mine.ShapeString}; h' has the shape of h, (batch, hidden).");
        if (CheckResult.NonFinite(mine) is { } where)
            return CheckResult.Of(id, QuizStatus.Wrong, title, $"Your h' holds {where}; tanh keeps every value in (-1, 1), so something before it overflowed or divided by zero.");
        float gap = Difference.Largest(mine, expected);
        if (gap <= 1e-5f)
            return mine.GradFn is null
                ? CheckResult.Of(id, QuizStatus.Wrong, title, "The values are right, but the result has no gradient history: compute it with Ops (MatMul, Add, Tanh) on the weight tensors, not on copied arrays, so that Backward() can reach the weights.")
                : CheckResult.Of(id, QuizStatus.Correct, title, $"Your step equals the library's RnnCell to {gap:E1} on a random batch.");
        string? slip = RnnStepSlip(mine, x, h, wIh, wHh, bIh, bHh);
        return CheckResult.Of(id, QuizStatus.Wrong, title, $"Your h' differs from the library's cell by up to {gap:G3}.",
            slip ?? "Build it term by term: x W_ihᵀ + b_ih (the input's part), h W_hhᵀ + b_hh (the state's part), their sum, then tanh.");
    }

    /// <summary>
    /// Check 4.last, prepared before the learner's line runs: the expected logits, <paramref name="head"/> applied to the
    /// state after the last step of <paramref name="outputs"/> (batch, time, hidden), are computed now on copies, so the
    /// learner's line cannot change them. Call the returned check with the learner's (batch, classes) tensor.
    /// </summary>
    public static Func<Tensor?, QuizResult> ManyToOne(string id, Tensor outputs, Linear head)
    {
        int batch = outputs.Size(0), time = outputs.Size(1);
        var perStep = new Tensor[time];
        using (Autograd.NoGrad())
            for (int t = 0; t < time; t++) perStep[t] = head.Forward(Ops.Select(outputs, 1, t)).Detach().Clone();   // (batch, classes)
        return logits => ManyToOne(id, logits, perStep, batch);
    }

    private static QuizResult ManyToOne(string id, Tensor? logits, Tensor[] perStep, int batch)
    {
        const string title = "many-to-one: one output per sequence";
        if (logits is null) return CheckResult.Of(id, QuizStatus.Unanswered, title, "Build the tensor in the cell and run it again.");
        int time = perStep.Length;
        var expected = perStep[^1];
        if (logits.Rank == 3)
            return CheckResult.Of(id, QuizStatus.Wrong, title, $"Got {logits.ShapeString}: one output per step, which is many-to-many. A many-to-one model reads only the state after the last step, (batch, hidden), so its output is {expected.ShapeString}.");
        if (!logits.Shape.SequenceEqual(expected.Shape))
            return CheckResult.Of(id, QuizStatus.Wrong, title, $"Got {logits.ShapeString}, expected {expected.ShapeString} (batch, classes): pick one time step of the outputs (Ops.Select on dim 1), then apply the head.");
        if (CheckResult.NonFinite(logits) is { } where)
            return CheckResult.Of(id, QuizStatus.Wrong, title, $"The shape is right, but your logits hold {where}: the head applied to a state gives finite numbers.");
        if (Difference.Largest(logits, expected) <= 1e-5f)
            return CheckResult.Of(id, QuizStatus.Correct, title, $"{logits.ShapeString}: the head read the state after step {time - 1}, which has seen the whole sequence.");
        for (int t = 0; t < time - 1; t++)
            if (Difference.Largest(logits, perStep[t]) <= 1e-5f)
                return CheckResult.Of(id, QuizStatus.Wrong, title, $"The shape is right, but you read the state after step {t}, which has not seen steps {t + 1}-{time - 1}. The summary of the whole sequence is the state after the last step, index {time - 1} (or -1).");
        return CheckResult.Of(id, QuizStatus.Wrong, title, $"The shape is right but the values are not the head applied to the last step's state (batch {batch}): use the outputs of the cell above and the head, unchanged.");
    }

    /// <summary>Which common slip <paramref name="mine"/> matches: a missing tanh, an untransposed W_hh, a missing bias, another nonlinearity.</summary>
    private static string? RnnStepSlip(Tensor mine, Tensor x, Tensor h, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh)
    {
        using var _ = Autograd.NoGrad();
        var xPart = Ops.Add(Ops.MatMul(x, wIh, transposeB: true), bIh);
        var hPart = Ops.Add(Ops.MatMul(h, wHh, transposeB: true), bHh);
        var pre = Ops.Add(xPart, hPart);
        var candidates = new List<(Tensor Value, string Why)>
        {
            (pre, "Your h' is the sum before the nonlinearity: apply Ops.Tanh to it."),
            (Ops.Sigmoid(pre), "You used a sigmoid; the vanilla RNN squashes with tanh, into (-1, 1)."),
            (Ops.Relu(pre), "You used relu; this cell uses tanh (relu is the other choice Rnn offers)."),
            (Ops.Tanh(Ops.Sub(pre, bIh)), "b_ih is missing: each of the two products has its own bias."),
            (Ops.Tanh(Ops.Sub(pre, bHh)), "b_hh is missing: each of the two products has its own bias."),
            (Ops.Tanh(Ops.Sub(pre, Ops.Add(bIh, bHh))), "Both biases are missing: add b_ih and b_hh."),
            (Ops.Tanh(Ops.Sub(pre, xPart)), "The input's part x W_ihᵀ + b_ih is missing: the new state depends on the input too."),
            (Ops.Tanh(Ops.Sub(pre, hPart)), "The state's part h W_hhᵀ + b_hh is missing: without it the cell has no memory."),
        };
        if (wHh.Size(0) == wHh.Size(1))
            candidates.Add((Ops.Tanh(Ops.Add(xPart, Ops.Add(Ops.MatMul(h, wHh), bHh))),
                "W_hh is used untransposed: it is square, so nothing fails, but PyTorch's layout needs h W_hhᵀ (transposeB: true)."));
        foreach (var (value, why) in candidates)
            if (Difference.Largest(mine, value) <= 1e-5f) return why;
        return null;
    }
}
