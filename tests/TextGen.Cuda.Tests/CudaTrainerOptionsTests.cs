// The GPU optimizer's settings come from the one source (TextGen's own Adam and AdamW), and its clipping factor is
// clip_grad_norm_'s, with a NaN or infinite norm giving no factor at all. No GPU needed.
using TextGen.Cuda;
using TextGen.Optim;
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests.Cuda;

public class CudaTrainerOptionsTests
{
    [Theory]
    [InlineData(OptimizerKind.Adam, 0f)]
    [InlineData(OptimizerKind.Adam, 0.01f)]
    [InlineData(OptimizerKind.AdamW, 0.1f)]
    public void Adams_settings_are_the_ones_textgens_own_optimizer_states(OptimizerKind kind, float weightDecay)
    {
        var parameter = new Tensor(new float[1], 1);
        Optimizer own = new Adam([parameter], 0.01, weightDecay: weightDecay, decoupledWeightDecay: kind == OptimizerKind.AdamW);

        var settings = AdamSettings.For(kind, weightDecay);

        Assert.Equal(own.Kind, settings.Kind);
        Assert.Equal(own.Hyperparameters, settings.Hyperparameters);
        Assert.Equal(kind == OptimizerKind.AdamW, settings.Decoupled);
        Assert.Equal((float)own.Hyperparameters["beta2"], settings.Beta2);
        Assert.Equal(weightDecay, settings.WeightDecay);
    }

    [Fact]
    public void Sgd_has_no_gpu_kernel_and_is_refused_with_the_fix()
    {
        var e = Assert.Throws<NotSupportedException>(() => AdamSettings.For(OptimizerKind.Sgd, 0f));
        Assert.Contains("--optimizer adam", e.Message);
    }

    [Theory]
    [InlineData(10.0, 1f)]
    [InlineData(0.5, 1f)]
    [InlineData(3.0, 0.25f)]
    public void The_clipping_factor_scales_gradients_as_clip_grad_norm_does(double norm, float maxNorm)
    {
        // A gradient of the given norm, clipped on the CPU by GradientClipping: the factor it applied is the GPU's.
        var p = new Tensor([0f, 0f], 2) { Grad = new Tensor([(float)(norm * 0.6), (float)(norm * 0.8)], 2) };
        GradientClipping.ClipGradNorm([p], maxNorm);
        float applied = p.Grad!.Data[1] / (float)(norm * 0.8);

        Assert.Equal(applied, CudaCharTrainer.ClipScale(norm, maxNorm), 6);
        Assert.Equal(1f, CudaCharTrainer.ClipScale(norm, float.PositiveInfinity));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_nan_or_infinite_norm_gives_no_factor_where_the_old_kernels_fminf_gave_one(double norm)
    {
        // C's fminf(1, max / (NaN + eps)) is 1 (fminf drops a NaN operand): the kernel's formula this replaces applied NaN gradients.
        Assert.True(float.IsNaN(CudaCharTrainer.ClipScale(norm, 1f)));
        Assert.True(float.IsNaN(CudaCharTrainer.ClipScale(norm, float.PositiveInfinity)));
    }
}
