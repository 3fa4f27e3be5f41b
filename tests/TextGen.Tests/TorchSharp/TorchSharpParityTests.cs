// TextGen's character model against TorchSharp's torch.nn layers loaded with the same weights: logits, final
// states, loss and every gradient, for RNN (tanh, relu), LSTM and GRU, 1-3 layers, embedding and one-hot.
using TextGen.Nn;
using TextGen.Tensors;
using TextGen.TorchSharp;
using Xunit;
using static TorchSharp.torch;
using Tensor = TextGen.Tensors.Tensor;

namespace TextGen.Tests.TorchSharp;

public class TorchSharpParityTests
{
    // Before any torch call: TorchSharp's static constructor loads the native library once, as shipped.
    public TorchSharpParityTests() => TorchSharpRuntime.EnsureLoaded();

    // The PyTorch fixtures' weights, inputs and states: the same cases, with TorchSharp as the in-process reference.
    public static TheoryData<string> RnnCases() => new(Fixtures.Names("rnn"));

    [Theory]
    [MemberData(nameof(RnnCases))]
    public void Textgen_model_matches_torchsharp_outputs_loss_and_gradients(string name)
    {
        var f = Fixtures.Load("rnn", name);
        var model = Nn.PytorchParityTests.ModelFromFixture(f);
        int b = f.GetProperty("batch").GetInt32(), t = f.GetProperty("seq_len").GetInt32();
        var tokens = f.GetProperty("tokens").ReadInts();
        var targets = f.GetProperty("targets").ReadInts();
        var h0 = f.TensorOrNull("h0")?.RequireGrad();
        var c0 = f.TensorOrNull("c0")?.RequireGrad();

        var (logits, next) = model.Forward(tokens, b, t, h0 is null ? null : new RecurrentState(h0, c0));
        var loss = Ops.CrossEntropy(logits, targets);
        loss.Backward();

        using var scope = NewDisposeScope();
        using var torchModel = new TorchCharModel(model.Config);
        torchModel.LoadFrom(model.StateDict());
        var th0 = h0 is null ? null : TorchCharModel.FromTextGen(h0).requires_grad_();
        var tc0 = c0 is null ? null : TorchCharModel.FromTextGen(c0).requires_grad_();
        var reference = torchModel.Forward(TorchCharModel.Tokens(tokens, b, t), th0, tc0);
        var torchLoss = TorchCharModel.Loss(reference.Logits, TorchCharModel.Tokens(targets, b, t));
        torchLoss.backward();

        var expectLogits = TorchCharModel.ToTextGen(reference.Logits);
        Assert.Equal(expectLogits.ShapeArray, logits.ShapeArray);
        GradCheck.AssertClose(expectLogits.Data, logits.Data, what: $"{name} logits");
        GradCheck.AssertClose(TorchCharModel.ToTextGen(reference.H).Data, next.H.Data, what: $"{name} h_n");
        if (reference.C is { } cn) GradCheck.AssertClose(TorchCharModel.ToTextGen(cn).Data, next.C!.Data, what: $"{name} c_n");
        double expectLoss = torchLoss.item<float>();
        Assert.Equal(expectLoss, loss.Item(), 1e-5 * Math.Abs(expectLoss));

        var grads = torchModel.Export(gradients: true);
        var sd = model.StateDict();
        Assert.Equal(grads.Keys.Order(), sd.Keys.Order());
        foreach (var (param, g) in grads)
            GradCheck.AssertClose(g.Data, sd[param].Grad!.Data, what: $"{name} grad {param}");
        if (th0 is not null) GradCheck.AssertClose(TorchCharModel.ToTextGen(th0.grad!).Data, h0!.Grad!.Data, what: $"{name} h0 grad");
        if (tc0 is not null) GradCheck.AssertClose(TorchCharModel.ToTextGen(tc0.grad!).Data, c0!.Grad!.Data, what: $"{name} c0 grad");
    }

    [Fact]
    public void Parity_cases_cover_every_cell_type_depth_and_input()
    {
        var cases = Fixtures.Names("rnn").Select(n => Fixtures.Load("rnn", n)).ToList();
        foreach (var arch in new[] { "rnn_tanh", "rnn_relu", "lstm", "gru" })
        {
            for (int layers = 1; layers <= 3; layers++)
                Assert.Contains(cases, c => c.GetProperty("arch").GetString() == arch && c.GetProperty("num_layers").GetInt32() == layers);
            Assert.Contains(cases, c => c.GetProperty("arch").GetString() == arch && c.GetProperty("embedding_dim").GetInt32() == 0);
        }
    }
}
