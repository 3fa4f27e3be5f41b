// Checks of lesson 6's cells: the LSTM's memory and output update written from its gates, compared with LstmCell, and
// the forget gate's block of bias_ih_l0 found from the gate order (i, f, g, o) and the layer's own hidden size. Both
// are prepared before the learner's lines run: they keep copies, so lines that write into the inputs cannot move them.
using TextGen.Nn;
using TextGen.Tensors;

namespace TextGen.Course;

public static partial class Exercise
{
    /// <summary>
    /// Check 6.cell, prepared before the learner's lines run: one step of <paramref name="cell"/> from (<paramref name="x"/>,
    /// <paramref name="h"/>, <paramref name="c"/>) and its gates are computed now, on copies, so lines that write into the
    /// states cannot change them. Call the returned check with the learner's c' and h' (batch, hidden); it passes when both
    /// equal the cell's to 1e-5.
    /// </summary>
    /// <param name="id">The check's id.</param>
    /// <param name="cell">The LSTM cell whose weights made the gates.</param>
    /// <param name="x">The input, (batch, input).</param>
    /// <param name="h">The previous hidden state, (batch, hidden).</param>
    /// <param name="c">The previous cell state, (batch, hidden).</param>
    public static Func<Tensor?, Tensor?, QuizResult> LstmUpdate(string id, LstmCell cell, Tensor x, Tensor h, Tensor c)
    {
        var (xs, hs, cs) = (x.Detach().Clone(), h.Detach().Clone(), c.Detach().Clone());
        var copy = new LstmCell(cell.InputSize, cell.HiddenSize);
        copy.LoadStateDict(cell.StateDict());
        Tensor hWant, cWant;
        using (Autograd.NoGrad())
        {
            var (hw, cw) = copy.Step(xs, hs, cs);
            (hWant, cWant) = (hw, cw!);
        }
        var gates = L6.LstmGates(copy, xs, hs);
        return (cNext, hNext) => LstmUpdate(id, cNext, hNext, hs, cs, hWant, cWant, gates);
    }

    private static QuizResult LstmUpdate(string id, Tensor? cNext, Tensor? hNext, Tensor h, Tensor c, Tensor hWant, Tensor cWant, (Tensor I, Tensor F, Tensor G, Tensor O) gates)
    {
        const string title = "the LSTM update c' = f ⊙ c + i ⊙ g, h' = o ⊙ tanh(c')";
        if (cNext is null && hNext is null) return CheckResult.Of(id, QuizStatus.Unanswered, title, "Write c' and h' from the gates and run the cell again.");
        if (cNext is null || hNext is null) return CheckResult.Of(id, QuizStatus.Unanswered, title, $"Write {(cNext is null ? "c'" : "h'")} too, then run the cell again.");
        foreach (var (name, mine) in new[] { ("c'", cNext), ("h'", hNext) })
        {
            if (!mine.Shape.SequenceEqual(c.Shape))
                return CheckResult.Of(id, QuizStatus.Wrong, title, $"{name} is {mine.ShapeString}; both states are (batch, hidden), {c.ShapeString}: every gate works element by element (Ops.Mul), not as a matrix product.");
            if (CheckResult.NonFinite(mine) is { } where)
                return CheckResult.Of(id, QuizStatus.Wrong, title, $"{name} holds {where}: gates lie in (0, 1) and tanh in (-1, 1), so the update of finite states is finite.");
        }
        bool cRight = Difference.Largest(cNext, cWant) <= 1e-5f, hRight = Difference.Largest(hNext, hWant) <= 1e-5f;
        if (cRight && hRight) return CheckResult.Of(id, QuizStatus.Correct, title, "Both equal the library's LstmCell: the memory is updated by addition, and the output is a gated view of it.");
        var (i, f, g, o) = gates;
        using var _ = Autograd.NoGrad();
        if (!cRight)
        {
            var slips = new (Tensor Value, string Why)[]
            {
                (Ops.Add(Ops.Mul(f, c), g), "c' adds the candidate g unscaled: the input gate i decides how much of g is written, i ⊙ g."),
                (Ops.Add(Ops.Mul(i, c), Ops.Mul(f, g)), "The gates are swapped: f multiplies the old memory c (what to keep), i multiplies the candidate g (what to write)."),
                (Ops.Add(Ops.Mul(Ops.OneMinus(f), c), Ops.Mul(i, g)), "You kept (1 - f) of the memory; the LSTM keeps f ⊙ c, so f near 1 means remember."),
                (Ops.Mul(i, g), "The old memory is missing: c' = f ⊙ c + i ⊙ g keeps part of c."),
                (Ops.Add(Ops.Mul(f, h), Ops.Mul(i, g)), "You gated the hidden state h; the memory carried forward is the cell state c."),
            };
            var why = slips.FirstOrDefault(s => Difference.Largest(cNext, s.Value) <= 1e-5f).Why;
            return CheckResult.Of(id, QuizStatus.Wrong, title, "c' is not right.", why ?? "c' = f ⊙ c + i ⊙ g, element by element: Ops.Add(Ops.Mul(f, cPrev), Ops.Mul(i, g)).");
        }
        var hSlips = new (Tensor Value, string Why)[]
        {
            (Ops.Mul(o, cNext), "c' is right, but h' skips the tanh: h' = o ⊙ tanh(c'), so the output stays in (-1, 1) however large the memory grows."),
            (Ops.Tanh(Ops.Mul(o, cNext)), "c' is right, but the tanh goes on c' before the output gate: h' = o ⊙ tanh(c')."),
            (Ops.Mul(o, Ops.Tanh(c)), "c' is right, but h' uses the old memory c; it shows the new one, tanh(c')."),
            (Ops.Mul(f, Ops.Tanh(cNext)), "c' is right, but h' is gated by f; the output gate o decides what is shown."),
        };
        var hWhy = hSlips.FirstOrDefault(s => Difference.Largest(hNext, s.Value) <= 1e-5f).Why;
        return CheckResult.Of(id, QuizStatus.Wrong, title, "c' is right; h' is not.", hWhy ?? "h' = o ⊙ tanh(c'): Ops.Mul(o, Ops.Tanh(cNext)).");
    }

    /// <summary>
    /// Check 6.forget, prepared before the learner's line runs: the four gate blocks of bias_ih_l0 of layer 0 of
    /// <paramref name="lstm"/> (gate order i, f, g, o, each of the hidden size H) are copied now. Call the returned check
    /// with the learner's tensor; it passes when that is the forget gate's block, rows H..2H-1.
    /// </summary>
    public static Func<Tensor?, QuizResult> ForgetGateBias(string id, RecurrentLayer lstm)
    {
        if (lstm.Name != "LSTM") throw new ArgumentException($"check {id}: give the LSTM layer, not a {lstm.Name}", nameof(lstm));
        int hidden = lstm.HiddenSize;
        var bias = lstm.StateDict()["bias_ih_l0"];
        var blocks = Enumerable.Range(0, 4).Select(k => Ops.Slice(bias, 0, k * hidden, hidden).Detach().Clone()).ToArray();
        return forgetBias => ForgetGateBias(id, forgetBias, blocks, hidden);
    }

    private static QuizResult ForgetGateBias(string id, Tensor? forgetBias, Tensor[] blocks, int hidden)
    {
        const string title = "the forget gate's rows of bias_ih_l0";
        if (forgetBias is null) return CheckResult.Of(id, QuizStatus.Unanswered, title, "Slice the bias and run the cell again.");
        if (forgetBias.Rank != 1 || forgetBias.Size(0) != hidden)
            return CheckResult.Of(id, QuizStatus.Wrong, title, $"Got {forgetBias.ShapeString}; each gate has one bias per hidden unit, so the block is ({hidden}): this LSTM's hidden size, not 256.");
        if (CheckResult.NonFinite(forgetBias) is { } where)
            return CheckResult.Of(id, QuizStatus.Wrong, title, $"Your block holds {where}; the layer's biases are finite: slice them without changing them.");
        string[] names = ["input gate i", "forget gate f", "candidate g", "output gate o"];
        for (int k = 0; k < 4; k++)
            if (Difference.Largest(forgetBias, blocks[k]) <= 1e-7f)
                return k == 1
                    ? CheckResult.Of(id, QuizStatus.Correct, title, $"Rows {hidden}-{2 * hidden - 1}: the second block of {hidden}, after the input gate's.")
                    : CheckResult.Of(id, QuizStatus.Wrong, title, $"Those are the rows of the {names[k]} ({k * hidden}-{(k + 1) * hidden - 1}). The blocks are stacked i, f, g, o, each {hidden} rows long.");
        return CheckResult.Of(id, QuizStatus.Wrong, title, $"The values are not one gate's block of bias_ih_l0. The blocks are stacked i, f, g, o, each {hidden} rows: Ops.Slice(bias, 0, start, {hidden}).");
    }
}

/// <summary>Lesson 6's own helper: the four gates of one LSTM step, as LstmCell computes them.</summary>
file static class L6
{
    public static (Tensor I, Tensor F, Tensor G, Tensor O) LstmGates(LstmCell cell, Tensor x, Tensor h)
    {
        using var _ = Autograd.NoGrad();
        int n = cell.HiddenSize;
        var gates = Ops.Add(Ops.Add(Ops.MatMul(x, cell.WeightIh, transposeB: true), cell.BiasIh),
                            Ops.Add(Ops.MatMul(h, cell.WeightHh, transposeB: true), cell.BiasHh));   // (batch, 4 hidden): i, f, g, o
        return (Ops.Sigmoid(Ops.Slice(gates, 1, 0, n)), Ops.Sigmoid(Ops.Slice(gates, 1, n, n)),
                Ops.Tanh(Ops.Slice(gates, 1, 2 * n, n)), Ops.Sigmoid(Ops.Slice(gates, 1, 3 * n, n)));
    }
}
