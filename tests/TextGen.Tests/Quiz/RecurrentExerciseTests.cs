// The checks of lessons 4-6 can fail: each passes the reference answer, stays open when unanswered, and names the slip
// behind the common wrong answers (an untransposed weight, a step taken too early, value clamping, a missing tanh).
using TextGen.Nn;
using TextGen.Optim;
using TextGen.Course;
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests.Quiz;

public class RecurrentExerciseTests
{
    private static readonly RnnCell Cell = new(3, 4, generator: new Generator(7));

    private static QuizResult Step(Func<Tensor, Tensor, Tensor?>? step) =>
        Exercise.RnnStep("4.step", step, Cell.WeightIh, Cell.WeightHh, Cell.BiasIh, Cell.BiasHh);

    private static Tensor Xw(Tensor a, Tensor w, Tensor b) => Ops.Add(Ops.MatMul(a, w, transposeB: true), b);

    [Fact]
    public void Rnn_step_passes_the_formula_and_names_the_untransposed_recurrent_weight()
    {
        Assert.Equal(QuizStatus.Unanswered, Step(null).Status);
        Assert.Equal(QuizStatus.Unanswered, Step((x, h) => null).Status);
        Assert.Equal(QuizStatus.Correct, Step((x, h) => Ops.Tanh(Ops.Add(Xw(x, Cell.WeightIh, Cell.BiasIh), Xw(h, Cell.WeightHh, Cell.BiasHh)))).Status);

        var untransposed = Step((x, h) => Ops.Tanh(Ops.Add(Xw(x, Cell.WeightIh, Cell.BiasIh), Ops.Add(Ops.MatMul(h, Cell.WeightHh), Cell.BiasHh))));
        Assert.Equal(QuizStatus.Wrong, untransposed.Status);
        Assert.Contains(untransposed.Feedback, f => f.Contains("untransposed", StringComparison.Ordinal));

        var noTanh = Step((x, h) => Ops.Add(Xw(x, Cell.WeightIh, Cell.BiasIh), Xw(h, Cell.WeightHh, Cell.BiasHh)));
        Assert.Contains(noTanh.Feedback, f => f.Contains("Ops.Tanh", StringComparison.Ordinal));

        var throws = Step((x, h) => Ops.MatMul(x, Cell.WeightIh));     // (3, 3) x (4, 3): the inner sizes differ
        Assert.Equal(QuizStatus.Wrong, throws.Status);
        Assert.Contains(throws.Feedback, f => f.Contains("transposeB: true", StringComparison.Ordinal));

        var copied = Step((x, h) => Cell.Step(x, h, null).H.Detach().Clone());
        Assert.Equal(QuizStatus.Wrong, copied.Status);                  // right values without a gradient history
    }

    [Fact]
    public void Many_to_one_passes_the_last_step_and_rejects_every_step_or_the_first()
    {
        var rnn = new Rnn(8, 16, batchFirst: true, generator: new Generator(5));
        var head = new Linear(16, 5, generator: new Generator(6));
        var (ys, _) = rnn.Forward(Tensor.Uniform(new Generator(8), -1, 1, 2, 7, 8));
        Assert.Equal(QuizStatus.Unanswered, Exercise.ManyToOne("4.last", ys, head)(null).Status);
        Assert.Equal(QuizStatus.Correct, Exercise.ManyToOne("4.last", ys, head)(head.Forward(Ops.Select(ys, 1, 6))).Status);
        var all = Exercise.ManyToOne("4.last", ys, head)(head.Forward(ys));
        Assert.Equal(QuizStatus.Wrong, all.Status);
        Assert.Contains(all.Feedback, f => f.Contains("many-to-many", StringComparison.Ordinal));
        var first = Exercise.ManyToOne("4.last", ys, head)(head.Forward(Ops.Select(ys, 1, 0)));
        Assert.Contains(first.Feedback, f => f.Contains("after step 0", StringComparison.Ordinal));
    }

    [Fact]
    public void Per_step_factor_is_the_geometric_mean_and_a_linear_average_is_named()
    {
        double[] norms = [.. Enumerable.Range(0, 11).Select(t => Math.Pow(0.5, 10 - t))];   // halves with every step back
        Assert.Equal(QuizStatus.Correct, Exercise.PerStepFactor("5.factor", 0.5, norms, 10).Status);
        Assert.Equal(QuizStatus.Unanswered, Exercise.PerStepFactor("5.factor", null, norms, 10).Status);
        var linear = Exercise.PerStepFactor("5.factor", Math.Pow(0.5, 10) / 10, norms, 10);
        Assert.Equal(QuizStatus.Wrong, linear.Status);
        Assert.Contains(linear.Feedback, f => f.Contains("geometric", StringComparison.Ordinal));
        Assert.Contains(Exercise.PerStepFactor("5.factor", 2.0, norms, 10).Feedback, f => f.Contains("inverted", StringComparison.Ordinal));
    }

    private static float[][] ByNorm(float[][] grads, float maxNorm)
    {
        double norm = Math.Sqrt(grads.Sum(a => a.Sum(v => (double)v * v)));
        float scale = norm > maxNorm ? (float)(maxNorm / norm) : 1f;
        return [.. grads.Select(a => a.Select(v => v * scale).ToArray())];
    }

    [Fact]
    public void Clipping_by_hand_passes_the_global_norm_and_names_value_clamping_and_per_parameter_norms()
    {
        Assert.Equal(QuizStatus.Correct, Exercise.ClipByGlobalNorm("5.clip", ByNorm).Status);
        Assert.Equal(QuizStatus.Unanswered, Exercise.ClipByGlobalNorm("5.clip", (g, m) => null).Status);
        var clamped = Exercise.ClipByGlobalNorm("5.clip", (g, m) => [.. g.Select(a => a.Select(v => Math.Clamp(v, -m, m)).ToArray())]);
        Assert.Equal(QuizStatus.Wrong, clamped.Status);
        Assert.Contains(clamped.Feedback, f => f.Contains("clamped", StringComparison.Ordinal));
        var perParameter = Exercise.ClipByGlobalNorm("5.clip", (g, m) => [.. g.Select(a => ByNorm([a], m)[0])]);
        Assert.Contains(perParameter.Feedback, f => f.Contains("global", StringComparison.Ordinal));
        var always = Exercise.ClipByGlobalNorm("5.clip", (g, m) =>
        {
            double n = Math.Sqrt(g.Sum(a => a.Sum(v => (double)v * v)));
            return [.. g.Select(a => a.Select(v => (float)(v * m / n)).ToArray())];
        });
        Assert.Contains(always.Feedback, f => f.Contains("only ever shrinks", StringComparison.Ordinal));
    }

    [Fact]
    public void Lstm_update_passes_the_cell_step_and_names_a_missing_tanh()
    {
        var cell = new LstmCell(3, 4, generator: new Generator(7));
        var x = Tensor.Uniform(new Generator(1), -1, 1, 2, 3);
        var h = Tensor.Uniform(new Generator(2), -1, 1, 2, 4);
        var c = Tensor.Uniform(new Generator(3), -1, 1, 2, 4);
        var gates = Ops.Add(Xw(x, cell.WeightIh, cell.BiasIh), Xw(h, cell.WeightHh, cell.BiasHh));
        var i = Ops.Sigmoid(Ops.Slice(gates, 1, 0, 4)); var f = Ops.Sigmoid(Ops.Slice(gates, 1, 4, 4));
        var g = Ops.Tanh(Ops.Slice(gates, 1, 8, 4)); var o = Ops.Sigmoid(Ops.Slice(gates, 1, 12, 4));
        var cNext = Ops.Add(Ops.Mul(f, c), Ops.Mul(i, g));
        Assert.Equal(QuizStatus.Unanswered, Exercise.LstmUpdate("6.cell", cell, x, h, c)(null, null).Status);
        Assert.Equal(QuizStatus.Correct, Exercise.LstmUpdate("6.cell", cell, x, h, c)(cNext, Ops.Mul(o, Ops.Tanh(cNext))).Status);
        var noTanh = Exercise.LstmUpdate("6.cell", cell, x, h, c)(cNext, Ops.Mul(o, cNext));
        Assert.Equal(QuizStatus.Wrong, noTanh.Status);
        Assert.Contains(noTanh.Feedback, f2 => f2.Contains("skips the tanh", StringComparison.Ordinal));
        var noInputGate = Exercise.LstmUpdate("6.cell", cell, x, h, c)(Ops.Add(Ops.Mul(f, c), g), Ops.Mul(o, Ops.Tanh(cNext)));
        Assert.Contains(noInputGate.Feedback, f2 => f2.Contains("input gate", StringComparison.Ordinal));
    }

    [Fact]
    public void Forget_gate_rows_follow_the_layers_own_hidden_size()
    {
        var lstm = new Lstm(64, 83);
        var bias = lstm.StateDict()["bias_ih_l0"];
        Assert.Equal(QuizStatus.Unanswered, Exercise.ForgetGateBias("6.forget", lstm)(null).Status);
        Assert.Equal(QuizStatus.Correct, Exercise.ForgetGateBias("6.forget", lstm)(Ops.Slice(bias, 0, 83, 83)).Status);
        var input = Exercise.ForgetGateBias("6.forget", lstm)(Ops.Slice(bias, 0, 0, 83));
        Assert.Equal(QuizStatus.Wrong, input.Status);
        Assert.Contains(input.Feedback, f => f.Contains("input gate", StringComparison.Ordinal));
        Assert.Contains(Exercise.ForgetGateBias("6.forget", lstm)(Ops.Slice(bias, 0, 83, 80)).Feedback, f => f.Contains("(83)", StringComparison.Ordinal));
    }

    [Fact]
    public void Rnn_step_is_compared_with_a_reference_taken_before_it_runs_so_writing_into_its_inputs_does_not_help()
    {
        // A step that zeroes h in place and then returns tanh of the input's part alone: against a reference computed
        // afterwards from the same (now zero) h it would pass; against the reference taken first it fails.
        var sneaky = Step((x, h) =>
        {
            Array.Clear(h.Data);
            return Ops.Tanh(Ops.Add(Xw(x, Cell.WeightIh, Cell.BiasIh), Xw(h, Cell.WeightHh, Cell.BiasHh)));
        });
        Assert.Equal(QuizStatus.Wrong, sneaky.Status);
        var weights = Cell.WeightHh.ToArray();
        var scaled = Step((x, h) =>
        {
            for (int k = 0; k < Cell.WeightHh.Numel; k++) Cell.WeightHh.Data[k] = 0;
            return Ops.Tanh(Xw(x, Cell.WeightIh, Cell.BiasIh));
        });
        weights.CopyTo(Cell.WeightHh.Data, 0);
        Assert.Equal(QuizStatus.Wrong, scaled.Status);    // zeroing W_hh does not move the reference either
    }

    [Fact]
    public void Prepared_checks_keep_copies_taken_before_the_learners_lines()
    {
        var rnn = new Rnn(8, 16, batchFirst: true, generator: new Generator(5));
        var head = new Linear(16, 5, generator: new Generator(6));
        var (ys, _) = rnn.Forward(Tensor.Uniform(new Generator(8), -1, 1, 2, 7, 8));
        var last = Exercise.ManyToOne("4.last", ys, head);
        Array.Clear(ys.Data);                                   // the learner's line overwrites the outputs...
        var fromZeros = head.Forward(Ops.Select(ys, 1, 6));     // ...and applies the head to what is left
        Assert.Equal(QuizStatus.Wrong, last(fromZeros).Status);

        var cell = new LstmCell(3, 4, generator: new Generator(7));
        var x = Tensor.Uniform(new Generator(1), -1, 1, 2, 3);
        var h = Tensor.Uniform(new Generator(2), -1, 1, 2, 4);
        var c = Tensor.Uniform(new Generator(3), -1, 1, 2, 4);
        var update = Exercise.LstmUpdate("6.cell", cell, x, h, c);
        Array.Clear(c.Data);                                    // c written in place before the update is computed
        var (hAfter, cAfter) = cell.Step(x, h, c);
        Assert.Equal(QuizStatus.Wrong, update(cAfter, hAfter).Status);

        var lstm = new Lstm(64, 83);
        var forget = Exercise.ForgetGateBias("6.forget", lstm);
        var bias = lstm.StateDict()["bias_ih_l0"];
        Array.Fill(bias.Data, 0.5f);                            // every block made equal to the answer given
        Assert.Equal(QuizStatus.Wrong, forget(Tensor.Full(0.5f, 83)).Status);
    }
}
