// The measuring tools the lessons call: parameter budgets, gradient flow over time, activation traces.
using TextGen.Nn;
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests.Nn;

public class LessonToolsTests
{
    [Theory]
    [InlineData(RecurrentArch.Lstm, 64, 256, 1)]
    [InlineData(RecurrentArch.Gru, 0, 37, 2)]
    [InlineData(RecurrentArch.Rnn, 16, 100, 3)]
    public void Parameter_count_formula_equals_the_built_model(RecurrentArch arch, int emb, int hidden, int layers)
    {
        var c = new CharRnnConfig(65, arch, emb, hidden, layers);
        Assert.Equal(new CharRnnModel(c).ParameterCount, ParameterBudget.Count(c));
    }

    [Fact]
    public void Hidden_size_for_a_budget_is_the_largest_that_fits()
    {
        var shape = new CharRnnConfig(65, RecurrentArch.Gru, 32, 1, 1);
        int h = ParameterBudget.HiddenSizeFor(shape, 350_593);
        Assert.True(ParameterBudget.Count(shape with { HiddenSize = h }) <= 350_593);
        Assert.True(ParameterBudget.Count(shape with { HiddenSize = h + 1 }) > 350_593);
    }

    [Fact]
    public void Vanilla_rnn_gradients_vanish_with_distance_while_lstm_keeps_more()
    {
        var rnn = new Rnn(8, 32, batchFirst: true, generator: new Generator(2));
        var lstm = new Lstm(8, 32, batchFirst: true, generator: new Generator(2));
        var r = GradientFlow.InputGradientNorms(rnn, 40);
        var l = GradientFlow.InputGradientNorms(lstm, 40);
        Assert.Equal(40, r.Length);
        Assert.True(r[^1] > 100 * r[0], $"RNN: near {r[^1]:G3} vs far {r[0]:G3}"); // 39 steps back the gradient has all but vanished
        Assert.True(l[0] / l[^1] > r[0] / r[^1], "the LSTM should carry relatively more gradient 39 steps back");
    }

    [Fact]
    public void The_mean_forget_gate_of_a_layer_without_weights_is_the_mean_sigmoid_of_its_biases()
    {
        var lstm = new Lstm(5, 7, batchFirst: true, generator: new Generator(3));
        var p = lstm.StateDict();
        Array.Clear(p["weight_ih_l0"].Data);
        Array.Clear(p["weight_hh_l0"].Data);
        double expected = Enumerable.Range(7, 7).Average(j => 1 / (1 + Math.Exp(-(p["bias_ih_l0"].Data[j] + p["bias_hh_l0"].Data[j]))));
        Assert.Equal(expected, GradientFlow.MeanForgetGate(lstm, 12), 1e-6);
    }

    [Fact]
    public void The_mean_forget_gate_equals_a_step_by_step_cell_on_the_inputs_of_the_gradient_measurement()
    {
        const int input = 4, hidden = 6, steps = 9, batch = 3;
        var lstm = new Lstm(input, hidden, batchFirst: true, generator: new Generator(8));
        var p = lstm.StateDict();
        for (int j = hidden; j < 2 * hidden; j++) p["bias_ih_l0"].Data[j] += 2f;     // lesson 5's f+2
        var cell = new LstmCell(input, hidden, new Generator(0));
        p["weight_ih_l0"].Data.CopyTo(cell.WeightIh.Data, 0);
        p["weight_hh_l0"].Data.CopyTo(cell.WeightHh.Data, 0);
        p["bias_ih_l0"].Data.CopyTo(cell.BiasIh.Data, 0);
        p["bias_hh_l0"].Data.CopyTo(cell.BiasHh.Data, 0);
        var x = Tensor.Uniform(new Generator(5), -1, 1, batch, steps, input);         // what InputGradientNorms(seed: 5) feeds
        var (y, _, _) = cell.Unroll(x, Tensor.Zeros(batch, hidden), Tensor.Zeros(batch, hidden));
        double sum = 0;
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
                for (int j = 0; j < hidden; j++)
                {
                    int row = hidden + j;                                                 // the f block
                    double z = cell.BiasIh.Data[row] + cell.BiasHh.Data[row];
                    for (int k = 0; k < input; k++) z += cell.WeightIh.Data[row * input + k] * x.Data[(b * steps + t) * input + k];
                    for (int k = 0; t > 0 && k < hidden; k++) z += cell.WeightHh.Data[row * hidden + k] * y.Data[(b * steps + t - 1) * hidden + k];
                    sum += 1 / (1 + Math.Exp(-z));
                }
        double mean = sum / (batch * steps * hidden);
        Assert.InRange(mean, 0.8, 0.95);                                                  // near σ(2), as the lesson says
        Assert.Equal(mean, GradientFlow.MeanForgetGate(lstm, steps, batch, seed: 5), 1e-5);
    }

    [Fact]
    public void Activation_trace_records_every_layer_at_every_token_consistent_with_generation()
    {
        var model = new CharRnnModel(new CharRnnConfig(9, RecurrentArch.Lstm, 4, 6, 2), seed: 4);
        int[] ids = [1, 5, 2, 8, 0];
        var trace = ActivationTrace.Record(model, ids);
        Assert.Equal(5, trace.Hidden[1].Count);
        Assert.Equal(4 * 6, trace.Gates[0][3].Length);
        // The i, f and o blocks are sigmoids, g a tanh.
        Assert.All(trace.Gates[0].SelectMany(g => g.Take(12).Concat(g.Skip(18))), v => Assert.InRange(v, 0f, 1f));
        // The top layer's last hidden state is what the full forward pass ends with.
        var (_, state) = model.Forward(ids, 1, ids.Length);
        GradCheck.AssertClose(state.H.Data.AsSpan(6, 6), trace.Hidden[1][^1], rel: 1e-5, abs: 1e-6);
        Assert.Equal(trace.Hidden[0].Select(h => h[2]), trace.Unit(0, 2));
    }
}
