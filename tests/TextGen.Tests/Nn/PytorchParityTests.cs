// The character model against PyTorch: outputs, final states, loss and every gradient, for
// RNN (tanh, relu), LSTM and GRU, 1-3 layers, with and without initial state, embedding and one-hot.
using System.Text.Json;
using TextGen.Nn;
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests.Nn;

public class PytorchParityTests
{
    public static TheoryData<string> RnnCases() => new(Fixtures.Names("rnn"));

    public static CharRnnModel ModelFromFixture(JsonElement f)
    {
        var config = new CharRnnConfig(f.GetProperty("vocab_size").GetInt32(), EnumNames.Parse<RecurrentArch>(f.GetProperty("arch").GetString()!),
            f.GetProperty("embedding_dim").GetInt32(), f.GetProperty("hidden_size").GetInt32(), f.GetProperty("num_layers").GetInt32());
        var model = new CharRnnModel(config);
        var ps = f.GetProperty("params").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ReadTensor());
        model.LoadStateDict(ps);
        return model;
    }

    [Fact]
    public void Fixtures_cover_every_cell_type_and_depth()
    {
        var names = Fixtures.Names("rnn").ToList();
        Assert.True(names.Count >= 24, $"expected the PyTorch fixtures in tests/fixtures/rnn, found {names.Count}");
        foreach (var arch in new[] { "rnn_tanh", "rnn_relu", "lstm", "gru" })
            Assert.Contains(names, n => Fixtures.Load("rnn", n).GetProperty("arch").GetString() == arch);
    }

    [Theory]
    [MemberData(nameof(RnnCases))]
    public void Model_matches_pytorch(string name)
    {
        var f = Fixtures.Load("rnn", name);
        var model = ModelFromFixture(f);
        int b = f.GetProperty("batch").GetInt32(), t = f.GetProperty("seq_len").GetInt32();
        var tokens = f.GetProperty("tokens").ReadInts();
        var targets = f.GetProperty("targets").ReadInts();
        var h0 = f.TensorOrNull("h0")?.RequireGrad();
        var c0 = f.TensorOrNull("c0")?.RequireGrad();
        var state = h0 is null ? null : new RecurrentState(h0, c0);

        // The recurrent input as the model builds it, kept as a leaf so its gradient can be compared.
        var rnnInput = model.Input.Forward(tokens, b, t).Detach().RequireGrad();
        GradCheck.AssertClose(f.GetProperty("rnn_input").ReadTensor().Data, rnnInput.Data, what: $"{name} rnn_input");
        var (y, next) = model.Rnn.Forward(rnnInput, state);
        var logits = model.Decoder.Forward(y);
        var loss = Ops.CrossEntropy(logits, targets);
        loss.Backward();

        var expectY = f.GetProperty("rnn_output").ReadTensor();
        Assert.Equal(expectY.ShapeArray, y.ShapeArray);
        GradCheck.AssertClose(expectY.Data, y.Data, what: $"{name} rnn_output");
        GradCheck.AssertClose(f.GetProperty("h_n").ReadTensor().Data, next.H.Data, what: $"{name} h_n");
        if (f.TensorOrNull("c_n") is { } cn) GradCheck.AssertClose(cn.Data, next.C!.Data, what: $"{name} c_n");
        GradCheck.AssertClose(f.GetProperty("logits").ReadTensor().Data, logits.Data, what: $"{name} logits");
        Assert.Equal(f.GetProperty("loss").GetDouble(), loss.Item(), 1e-5 * Math.Abs(f.GetProperty("loss").GetDouble()));

        var sd = model.StateDict();
        foreach (var g in f.GetProperty("grads").EnumerateObject())
        {
            if (g.Name.StartsWith("embedding")) continue; // the embedding sits before rnn_input here; see the next test
            GradCheck.AssertClose(g.Value.ReadTensor().Data, sd[g.Name].Grad!.Data, what: $"{name} grad {g.Name}");
        }
        GradCheck.AssertClose(f.GetProperty("rnn_input_grad").ReadTensor().Data, rnnInput.Grad!.Data, what: $"{name} rnn_input_grad");
        if (h0 is not null) GradCheck.AssertClose(f.GetProperty("h0_grad").ReadTensor().Data, h0.Grad!.Data, what: $"{name} h0_grad");
        if (c0 is not null) GradCheck.AssertClose(f.GetProperty("c0_grad").ReadTensor().Data, c0.Grad!.Data, what: $"{name} c0_grad");
    }

    [Theory]
    [MemberData(nameof(RnnCases))]
    public void Whole_model_loss_and_embedding_gradient_match_pytorch(string name)
    {
        var f = Fixtures.Load("rnn", name);
        var model = ModelFromFixture(f);
        int b = f.GetProperty("batch").GetInt32(), t = f.GetProperty("seq_len").GetInt32();
        var state = f.TensorOrNull("h0") is { } h0 ? new RecurrentState(h0, f.TensorOrNull("c0")) : null;
        var (loss, _) = model.Loss(f.GetProperty("tokens").ReadInts(), f.GetProperty("targets").ReadInts(), b, t, state);
        loss.Backward();
        Assert.Equal(f.GetProperty("loss").GetDouble(), loss.Item(), 1e-5 * Math.Abs(f.GetProperty("loss").GetDouble()));
        var sd = model.StateDict();
        foreach (var g in f.GetProperty("grads").EnumerateObject())
            GradCheck.AssertClose(g.Value.ReadTensor().Data, sd[g.Name].Grad!.Data, what: $"{name} grad {g.Name}");
    }

    public static TheoryData<string> CellCases() => new(Fixtures.Names("cells"));

    [Theory]
    [MemberData(nameof(CellCases))]
    public void Hand_built_cell_matches_pytorch_cell(string name)
    {
        var f = Fixtures.Load("cells", name);
        string arch = f.GetProperty("arch").GetString()!;
        var wih = f.GetProperty("weight_ih").ReadTensor();
        int h = f.GetProperty("weight_hh").ReadTensor().Size(1), i = wih.Size(1);
        RecurrentCell cell = arch switch
        {
            "lstm" => new LstmCell(i, h),
            "gru" => new GruCell(i, h),
            "rnn_relu" => new RnnCell(i, h, "relu"),
            _ => new RnnCell(i, h),
        };
        cell.LoadStateDict(new Dictionary<string, Tensor>
        {
            ["weight_ih"] = wih, ["weight_hh"] = f.GetProperty("weight_hh").ReadTensor(),
            ["bias_ih"] = f.GetProperty("bias_ih").ReadTensor(), ["bias_hh"] = f.GetProperty("bias_hh").ReadTensor(),
        });
        var (hNext, cNext) = cell.Step(f.GetProperty("x").ReadTensor(), f.GetProperty("h").ReadTensor(), f.TensorOrNull("c"));
        GradCheck.AssertClose(f.GetProperty("h_next").ReadTensor().Data, hNext.Data, what: $"{name} h_next");
        if (f.TensorOrNull("c_next") is { } c) GradCheck.AssertClose(c.Data, cNext!.Data, what: $"{name} c_next");
    }
}
