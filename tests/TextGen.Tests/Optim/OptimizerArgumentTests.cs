// Constructor and property validation of the optimizers: each bad setting fails with a message naming it.
using TextGen.Optim;
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests.Optim;

public class OptimizerArgumentTests
{
    private static Tensor[] Params() => [Tensor.Zeros(2)];

    [Fact]
    public void Optimizers_reject_a_negative_learning_rate()
    {
        Assert.Contains("learning rate", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(Params(), lr: -0.1)).Message);
        Assert.Contains("learning rate", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(Params(), lr: -1e-3)).Message);
        var adamW = new Adam(Params(), decoupledWeightDecay: true);
        Assert.Throws<ArgumentOutOfRangeException>(() => adamW.LearningRate = double.NaN);
    }

    [Theory]
    [InlineData(1.0, 0.999, "beta1")]
    [InlineData(-0.1, 0.999, "beta1")]
    [InlineData(0.9, 1.0, "beta2")]
    public void Adam_rejects_betas_outside_zero_to_one(double beta1, double beta2, string named)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(Params(), beta1: beta1, beta2: beta2));
        Assert.Contains($"invalid {named}", e.Message);
        Assert.Contains($"AdamW: invalid {named}", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(Params(), beta1: beta1, beta2: beta2, decoupledWeightDecay: true)).Message);
    }

    [Fact]
    public void Adam_rejects_negative_eps_and_weight_decay()
    {
        Assert.Contains("invalid eps", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(Params(), eps: -1e-8)).Message);
        Assert.Contains("weight decay", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(Params(), weightDecay: -0.01, decoupledWeightDecay: true)).Message);
    }

    [Fact]
    public void Sgd_rejects_nesterov_without_momentum_or_with_dampening()
    {
        Assert.Contains("Nesterov", Assert.Throws<ArgumentException>(() => new Sgd(Params(), 0.1, nesterov: true)).Message);
        Assert.Contains("Nesterov", Assert.Throws<ArgumentException>(() => new Sgd(Params(), 0.1, momentum: 0.9, dampening: 0.1, nesterov: true)).Message);
        Assert.Contains("momentum", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(Params(), 0.1, momentum: -0.5)).Message);
    }

    [Fact]
    public void Optimizers_reject_an_empty_parameter_list_and_a_gradient_of_the_wrong_size()
    {
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => new Sgd([], 0.1)).Message);
        var p = Tensor.Zeros(2);
        var sgd = new Sgd([p], 0.1);
        p.Grad = Tensor.Zeros(3);
        Assert.Contains("gradient has shape (3)", Assert.Throws<InvalidOperationException>(sgd.Step).Message);
    }

    [Fact]
    public void ZeroGrad_drops_gradients_or_zeroes_them_in_place()
    {
        var p = Tensor.Zeros(2);
        var sgd = new Sgd([p], 0.1);
        var g = new Tensor([1f, 2f], 2);
        p.Grad = g;
        sgd.ZeroGrad(setToNone: false);
        Assert.Same(g, p.Grad);
        Assert.Equal([0f, 0f], g.Data);
        sgd.ZeroGrad();
        Assert.Null(p.Grad);
    }
}
