// The fused layer returns its outputs, h_T and c_T as three tensors with one backward pass behind them:
// a loss on any one of them alone must still reach the inputs and the initial state, as finite differences say.
using TextGen.Nn;
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests.Nn;

public class FinalStateGradientTests
{
    public static TheoryData<string, string> Cases() => new()
    {
        { "lstm", "h" }, { "lstm", "c" }, { "lstm", "out" }, { "gru", "h" }, { "rnn", "h" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_loss_on_one_result_alone_has_the_finite_difference_gradient(string arch, string which)
    {
        var gen = new Generator(21);
        RecurrentLayer layer = arch switch
        {
            "lstm" => new Lstm(3, 4, 2, true, 0f, gen),
            "gru" => new Gru(3, 4, 2, true, 0f, gen),
            _ => new Rnn(3, 4, 2, "tanh", true, 0f, gen),
        };
        var x = Tensor.Uniform(gen, -1, 1, 2, 5, 3);
        var h0 = Tensor.Uniform(gen, -0.5f, 0.5f, 2, 2, 4);
        var c0 = Tensor.Uniform(gen, -0.5f, 0.5f, 2, 2, 4);
        Tensor[] inputs = layer.HasCell ? [x, h0, c0] : [x, h0];
        GradCheck.Check(t =>
        {
            var (y, state) = layer.Forward(t[0], new RecurrentState(t[1], layer.HasCell ? t[2] : null));
            return which switch { "h" => state.H, "c" => state.C!, _ => y };
        }, inputs, eps: 1e-2f, tolerance: 1e-2);
    }
}
