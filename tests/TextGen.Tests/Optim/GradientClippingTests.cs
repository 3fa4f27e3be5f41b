// GradientClipping against torch.nn.utils.clip_grad_norm_ / clip_grad_value_ fixtures,
// plus the edge cases PyTorch defines: no gradients, non-finite norms, bad arguments.
using System.Text.Json;
using TextGen.Optim;
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests.Optim;

public class GradientClippingTests
{
    private static Tensor[] WithGrads(JsonElement before) =>
        OptimFixture.ReadTensors(before).Select(g => new Tensor(new float[g!.Numel], g.ShapeArray) { Grad = g }).ToArray();

    [Fact]
    public void ClipGradNorm_matches_pytorch_for_norms_2_3_and_inf_with_and_without_clipping()
    {
        var cases = OptimFixture.Load("clip_grad_norm.json").GetProperty("cases").EnumerateArray().ToArray();
        Assert.Equal(4, cases.Length);
        foreach (var c in cases)
        {
            var parameters = WithGrads(c.GetProperty("before"));
            var norm = c.GetProperty("norm_type");
            float normType = norm.ValueKind == JsonValueKind.String ? float.PositiveInfinity : norm.GetSingle();
            float maxNorm = c.GetProperty("max_norm").GetSingle();

            float total = GradientClipping.ClipGradNorm(parameters, maxNorm, normType);

            float expectedTotal = c.GetProperty("total_norm").GetSingle();
            Assert.InRange(total, expectedTotal * (1 - 1e-5f), expectedTotal * (1 + 1e-5f));
            var after = OptimFixture.ReadTensors(c.GetProperty("after"));
            for (int i = 0; i < parameters.Length; i++)
                OptimFixture.AssertClose(after[i]!, parameters[i].Grad!, $"clip norm {normType} max {maxNorm} grad {i}");
        }
    }

    [Fact]
    public void ClipGradNorm_leaves_gradients_bit_identical_when_under_the_limit()
    {
        var c = OptimFixture.Load("clip_grad_norm.json").GetProperty("cases")[1];
        var parameters = WithGrads(c.GetProperty("before"));
        var before = parameters.Select(p => p.Grad!.ToArray()).ToArray();

        float total = GradientClipping.ClipGradNorm(parameters, 100f);

        Assert.True(total < 100f);
        for (int i = 0; i < parameters.Length; i++) Assert.Equal(before[i], parameters[i].Grad!.Data);
    }

    [Fact]
    public void ClipGradNorm_returns_a_nan_norm_and_leaves_gradients_alone()
    {
        var p = new Tensor(new float[3], 3) { Grad = new Tensor([1f, float.NaN, 2f], 3) };
        var q = new Tensor(new float[2], 2) { Grad = new Tensor([30f, 40f], 2) };

        float total = GradientClipping.ClipGradNorm([p, q], 1f);

        Assert.True(float.IsNaN(total));
        Assert.Equal([30f, 40f], q.Grad!.Data);
    }

    [Fact]
    public void ClipGradNorm_returns_infinity_when_a_gradient_overflows()
    {
        var p = new Tensor(new float[2], 2) { Grad = new Tensor([3e38f, 3e38f], 2) };
        Assert.Equal(float.PositiveInfinity, GradientClipping.ClipGradNorm([p], 1f));
    }

    [Fact]
    public void ClipGradNorm_skips_parameters_without_gradient_and_returns_zero_when_none_has_one()
    {
        var none = new Tensor(new float[2], 2);
        Assert.Equal(0f, GradientClipping.ClipGradNorm([none], 1f));

        var p = new Tensor(new float[2], 2) { Grad = new Tensor([3f, 4f], 2) };
        float total = GradientClipping.ClipGradNorm([none, p], 1f);
        Assert.Equal(5f, total);
        Assert.Equal(0.6f, p.Grad!.Data[0], 1e-6f); // 3 / (5 + 1e-6)
        Assert.Equal(0.8f, p.Grad!.Data[1], 1e-6f);
        Assert.Null(none.Grad);
    }

    [Fact]
    public void ClipGradValue_matches_pytorch()
    {
        var c = OptimFixture.Load("clip_grad_value.json").GetProperty("cases")[0];
        var parameters = WithGrads(c.GetProperty("before"));

        GradientClipping.ClipGradValue(parameters, c.GetProperty("clip_value").GetSingle());

        var after = OptimFixture.ReadTensors(c.GetProperty("after"));
        for (int i = 0; i < parameters.Length; i++) OptimFixture.AssertClose(after[i]!, parameters[i].Grad!, $"clip value grad {i}");
    }

    [Fact]
    public void Clipping_rejects_negative_limits_and_non_positive_norm_types()
    {
        var p = new[] { new Tensor(new float[1], 1) { Grad = new Tensor([1f], 1) } };
        Assert.Contains("max norm", Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipGradNorm(p, -1f)).Message);
        Assert.Contains("norm type", Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipGradNorm(p, 1f, 0f)).Message);
        Assert.Contains("clip value", Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipGradValue(p, -0.5f)).Message);
    }
}
