// Five training steps, Adam with gradient-norm clipping, from the same weights: TextGen's optimizer and clipping
// against TorchSharp's torch.optim.Adam and clip_grad_norm_, step by step, in the final weights, and in the loss
// the trained weights give when loaded into the other engine.
using TextGen.Nn;
using TextGen.Optim;
using TextGen.Tensors;
using TextGen.TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace TextGen.Tests.TorchSharp;

public class TorchSharpTrainingParityTests
{
    public TorchSharpTrainingParityTests() => TorchSharpRuntime.EnsureLoaded();

    [Theory]
    [InlineData("lstm_l1_embedding_zero")]
    [InlineData("lstm_l2_onehot_init")]
    [InlineData("gru_l2_embedding_zero")]
    [InlineData("rnn_tanh_l3_embedding_zero")]
    [InlineData("rnn_relu_l1_onehot_init")]
    public void Five_adam_steps_with_clipping_match_torchsharp(string name)
    {
        const int steps = 5;
        const float maxNorm = 0.02f, lr = 1e-2f; // small enough that the first steps are clipped
        // Adam moves an element by about lr * g / (|g| + eps): with PyTorch's eps of 1e-8 the first layer of the deep tanh RNN, whose
        // gradients vanish to about 1e-8, moves by an amount that float rounding in g decides (libtorch's kernels differ by CPU).
        const double eps = 1e-6;
        var f = Fixtures.Load("rnn", name);
        var model = Nn.PytorchParityTests.ModelFromFixture(f);
        int b = f.GetProperty("batch").GetInt32(), t = f.GetProperty("seq_len").GetInt32();
        var tokens = f.GetProperty("tokens").ReadInts();
        var targets = f.GetProperty("targets").ReadInts();

        using var scope = NewDisposeScope();
        using var torchModel = new TorchCharModel(model.Config);
        torchModel.LoadFrom(model.StateDict());
        var torchAdam = optim.Adam(torchModel.parameters(), lr: lr, eps: eps);
        var adam = new Adam(model.Parameters(), lr: lr, eps: eps);
        using var torchTokens = TorchCharModel.Tokens(tokens, b, t);
        using var torchTargets = TorchCharModel.Tokens(targets, b, t);

        bool clipped = false;
        for (int step = 0; step < steps; step++)
        {
            adam.ZeroGrad();
            var (loss, _) = model.Loss(tokens, targets, b, t);
            loss.Backward();
            float norm = GradientClipping.ClipGradNorm(model.Parameters(), maxNorm);
            adam.Step();

            torchAdam.zero_grad();
            using var torchLoss = TorchCharModel.Loss(torchModel.Forward(torchTokens).Logits, torchTargets);
            torchLoss.backward();
            double torchNorm = nn.utils.clip_grad_norm_(torchModel.parameters(), maxNorm);
            torchAdam.step();

            double expectLoss = torchLoss.item<float>();
            Assert.Equal(expectLoss, loss.Item(), 1e-5 * Math.Abs(expectLoss));
            Assert.Equal(torchNorm, norm, 1e-5 * torchNorm);
            clipped |= norm > maxNorm;
            foreach (var (param, p) in torchModel.Export())
                GradCheck.AssertClose(p.Data, model.StateDict()[param].Data, what: $"{name} {param} after step {step + 1}");
        }
        Assert.True(clipped, $"{name}: the gradient norm never exceeded {maxNorm}, so clipping went untested");

        var expected = torchModel.Export();
        foreach (var (param, p) in model.StateDict())
            GradCheck.AssertClose(expected[param].Data, p.Data, what: $"{name} {param} after {steps} steps");

        // The model TorchSharp trained, loaded into a fresh TextGen model, evaluates to TorchSharp's own loss.
        var reloaded = new CharRnnModel(model.Config, seed: 99);
        reloaded.LoadStateDict(expected);
        using var evalTorch = TorchCharModel.Loss(torchModel.Forward(torchTokens).Logits, torchTargets);
        double torchEval = evalTorch.item<float>();
        Assert.Equal(torchEval, reloaded.Loss(tokens, targets, b, t).Loss.Item(), 1e-5 * torchEval);
    }
}
