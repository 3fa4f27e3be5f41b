// Layer normalisation as a module, torch.nn.LayerNorm(normalized_shape) over the last dim: weight ones, bias zeros.
using TextGen.Tensors;

namespace TextGen.Nn;

/// <summary>Normalises each vector over the last dim to mean 0 and variance 1, then scales and shifts it, as torch.nn.LayerNorm.</summary>
public sealed class LayerNorm : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer for vectors of <paramref name="normalizedShape"/> values, with PyTorch's initial weight 1 and bias 0.</summary>
    public LayerNorm(int normalizedShape, float eps = 1e-5f)
    {
        if (normalizedShape < 1) throw new ArgumentOutOfRangeException(nameof(normalizedShape), $"LayerNorm: normalizedShape must be at least 1, got {normalizedShape}");
        if (!(eps > 0)) throw new ArgumentOutOfRangeException(nameof(eps), $"LayerNorm: eps {eps} must be positive");
        NormalizedShape = normalizedShape;
        Eps = eps;
        Weight = RegisterParameter("weight", Tensor.Ones(normalizedShape));
        Bias = RegisterParameter("bias", Tensor.Zeros(normalizedShape));
    }

    /// <summary>Size of the last dim that is normalised.</summary>
    public int NormalizedShape { get; }

    /// <summary>Added to the variance before the square root, so a constant vector does not divide by zero.</summary>
    public float Eps { get; }

    /// <summary>Element-wise scale, (normalizedShape).</summary>
    public Tensor Weight { get; }

    /// <summary>Element-wise shift, (normalizedShape).</summary>
    public Tensor Bias { get; }

    /// <summary>Normalises (..., normalizedShape) over its last dim.</summary>
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank < 1 || input.Size(-1) != NormalizedShape)
            throw new ArgumentException($"LayerNorm: input {input.ShapeString} must end in normalizedShape = {NormalizedShape}");
        return Ops.LayerNorm(input, Weight, Bias, Eps);
    }
}
