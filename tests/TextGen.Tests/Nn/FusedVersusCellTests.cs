// The fused layers against the cells built from elementary ops, and against finite differences.
using TextGen.Nn;
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests.Nn;

public class FusedVersusCellTests
{
    private static RecurrentLayer Layer(string arch, int i, int h) => arch switch
    {
        "lstm" => new Lstm(i, h, 1, batchFirst: true, generator: new Generator(3)),
        "gru" => new Gru(i, h, 1, batchFirst: true, generator: new Generator(3)),
        "rnn_relu" => new Rnn(i, h, 1, "relu", batchFirst: true, generator: new Generator(3)),
        _ => new Rnn(i, h, 1, "tanh", batchFirst: true, generator: new Generator(3)),
    };

    private static RecurrentCell Cell(string arch, int i, int h) => arch switch
    {
        "lstm" => new LstmCell(i, h),
        "gru" => new GruCell(i, h),
        "rnn_relu" => new RnnCell(i, h, "relu"),
        _ => new RnnCell(i, h),
    };

    // Hidden 6 runs only the kernels' scalar loops; 19 runs two eight-lane vector iterations and a scalar tail;
    // 40 with batch 21 also splits the rows into several blocks of the time loop.
    [Theory]
    [InlineData("rnn_tanh", 6, 3)]
    [InlineData("rnn_relu", 6, 3)]
    [InlineData("lstm", 6, 3)]
    [InlineData("gru", 6, 3)]
    [InlineData("rnn_tanh", 19, 3)]
    [InlineData("rnn_relu", 19, 3)]
    [InlineData("lstm", 19, 3)]
    [InlineData("gru", 19, 3)]
    [InlineData("lstm", 40, 21)]
    [InlineData("gru", 40, 21)]
    public void Fused_layer_equals_unrolled_cell_in_outputs_and_gradients(string arch, int h, int b)
    {
        int t = 5, i = 4;
        var layer = Layer(arch, i, h);
        var cell = Cell(arch, i, h);
        var sd = layer.StateDict();
        cell.WeightIh.Data.AsSpan().Clear();
        sd["weight_ih_l0"].Data.CopyTo(cell.WeightIh.Data, 0); sd["weight_hh_l0"].Data.CopyTo(cell.WeightHh.Data, 0);
        sd["bias_ih_l0"].Data.CopyTo(cell.BiasIh.Data, 0); sd["bias_hh_l0"].Data.CopyTo(cell.BiasHh.Data, 0);
        var x = Tensor.Uniform(new Generator(11), -1, 1, b, t, i).RequireGrad();
        var h0 = Tensor.Uniform(new Generator(12), -1, 1, 1, b, h).RequireGrad();
        var c0 = layer.HasCell ? Tensor.Uniform(new Generator(13), -1, 1, 1, b, h).RequireGrad() : null;
        var w = Tensor.Uniform(new Generator(14), -1, 1, b, t, h);

        var (yF, sF) = layer.Forward(x, new RecurrentState(h0, c0));
        var lossF = Ops.Sum(Ops.Mul(yF, w)) + Ops.Sum(sF.H) + (sF.C is null ? Tensor.Scalar(0) : Ops.Sum(sF.C));
        lossF.Backward();
        var gradX = x.Grad!.ToArray(); var gradH0 = h0.Grad!.ToArray(); var gradC0 = c0?.Grad!.ToArray();
        x.Grad = null; h0.Grad = null; if (c0 is not null) c0.Grad = null;

        var (yC, hC, cC) = cell.Unroll(x, h0.Reshape(b, h), c0?.Reshape(b, h));
        var lossC = Ops.Sum(Ops.Mul(yC, w)) + Ops.Sum(hC) + (cC is null ? Tensor.Scalar(0) : Ops.Sum(cC));
        lossC.Backward();

        Assert.Equal(yC.ShapeArray, yF.ShapeArray);
        GradCheck.AssertClose(yC.Data, yF.Data, what: "output");
        GradCheck.AssertClose(hC.Data, sF.H.Data, what: "h_n");
        GradCheck.AssertClose(x.Grad!.Data, gradX, what: "dx");
        GradCheck.AssertClose(h0.Grad!.Data, gradH0, what: "dh0");
        if (c0 is not null) GradCheck.AssertClose(c0.Grad!.Data, gradC0!, what: "dc0");
        GradCheck.AssertClose(cell.WeightHh.Grad!.Data, sd["weight_hh_l0"].Grad!.Data, what: "dW_hh");
        GradCheck.AssertClose(cell.WeightIh.Grad!.Data, sd["weight_ih_l0"].Grad!.Data, what: "dW_ih");
        GradCheck.AssertClose(cell.BiasHh.Grad!.Data, sd["bias_hh_l0"].Grad!.Data, what: "db_hh");
        GradCheck.AssertClose(cell.BiasIh.Grad!.Data, sd["bias_ih_l0"].Grad!.Data, what: "db_ih");
    }

    [Theory]
    [InlineData("lstm", true)]
    [InlineData("gru", true)]
    [InlineData("rnn_tanh", false)]
    public void Fused_two_layer_stack_matches_finite_differences(string arch, bool batchFirst)
    {
        RecurrentLayer layer = arch switch
        {
            "lstm" => new Lstm(3, 4, 2, batchFirst, generator: new Generator(5)),
            "gru" => new Gru(3, 4, 2, batchFirst, generator: new Generator(5)),
            _ => new Rnn(3, 4, 2, "tanh", batchFirst, generator: new Generator(5)),
        };
        var ps = layer.Parameters().ToArray();
        var x = Tensor.Uniform(new Generator(8), -1, 1, 2, 3, 3);
        GradCheck.Check(t =>
        {
            var (y, s) = layer.Forward(t[0]);
            return Ops.Concat([y.Reshape(-1), s.H.Reshape(-1)], 0);
        }, [x, .. ps], eps: 1e-2f, tolerance: 2e-2);
    }

    [Fact]
    public void Untrained_model_starts_near_log_vocabulary_size()
    {
        var model = new CharRnnModel(new CharRnnConfig(65, RecurrentArch.Lstm, 64, 256, 2));
        var g = new Generator(1);
        var tokens = Enumerable.Range(0, 8 * 50).Select(_ => g.NextInt(65)).ToArray();
        var targets = Enumerable.Range(0, 8 * 50).Select(_ => g.NextInt(65)).ToArray();
        var (loss, _) = model.Loss(tokens, targets, 8, 50);
        Assert.InRange(loss.Item(), Math.Log(65) - 0.05, Math.Log(65) + 0.05);
    }

    [Fact]
    public void Model_parameters_carry_pytorch_names_and_counts()
    {
        var model = new CharRnnModel(new CharRnnConfig(65, RecurrentArch.Lstm, 64, 256, 1));
        Assert.Equal(["embedding.weight", "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "decoder.weight", "decoder.bias"],
            model.NamedParameters().Select(p => p.Name));
        Assert.Equal(350_593, model.ParameterCount); // config S of BENCHMARKS.md
        var oneHot = new CharRnnModel(new CharRnnConfig(10, RecurrentArch.Gru, 0, 8, 2));
        Assert.DoesNotContain(oneHot.NamedParameters(), p => p.Name.StartsWith("embedding"));
        Assert.Equal([24, 10], oneHot.StateDict()["rnn.weight_ih_l0"].ShapeArray);
    }

    [Fact]
    public void Bad_layer_arguments_are_rejected_in_the_constructor()
    {
        Assert.Contains("numLayers", Assert.Throws<ArgumentOutOfRangeException>(() => new Lstm(3, 4, 0)).Message);
        Assert.Contains("hiddenSize", Assert.Throws<ArgumentOutOfRangeException>(() => new Gru(3, 0)).Message);
        Assert.Contains("dropout", Assert.Throws<ArgumentOutOfRangeException>(() => new Rnn(3, 4, 2, dropout: 1f)).Message);
        Assert.Contains("initial h", Assert.Throws<ArgumentException>(() =>
            new Lstm(3, 4).Forward(Tensor.Zeros(2, 5, 3), new RecurrentState(Tensor.Zeros(1, 3, 4), Tensor.Zeros(1, 3, 4)))).Message);
    }
}
