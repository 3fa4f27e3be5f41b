// Linear layer y = x W^T + b, as torch.nn.Linear (weight (out, in), bias (out)).
using TextGen.Tensors;

namespace TextGen.Nn;

/// <summary>Affine map <c>y = x W^T + b</c> over the last dim, with PyTorch's weight layout and init.</summary>
public sealed class Linear : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer. <paramref name="generator"/> seeds the initial weights.</summary>
    public Linear(int inFeatures, int outFeatures, bool bias = true, Generator? generator = null)
    {
        if (inFeatures < 1) throw new ArgumentOutOfRangeException(nameof(inFeatures), $"Linear: inFeatures must be at least 1, got {inFeatures}");
        if (outFeatures < 1) throw new ArgumentOutOfRangeException(nameof(outFeatures), $"Linear: outFeatures must be at least 1, got {outFeatures}");
        generator ??= new Generator(0);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = RegisterParameter("weight", Init.UniformFanIn(generator, inFeatures, outFeatures, inFeatures));
        if (bias) Bias = RegisterParameter("bias", Init.UniformFanIn(generator, inFeatures, outFeatures));
    }

    /// <summary>Input size.</summary>
    public int InFeatures { get; }

    /// <summary>Output size.</summary>
    public int OutFeatures { get; }

    /// <summary>Weight of shape (out, in).</summary>
    public Tensor Weight { get; }

    /// <summary>Bias of shape (out), or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Applies the map to (..., in), giving (..., out).</summary>
    public override Tensor Forward(Tensor input)
    {
        if (input.Size(-1) != InFeatures)
            throw new ArgumentException($"Linear: input {input.ShapeString} has last dim {input.Size(-1)}, expected inFeatures = {InFeatures}");
        return Ops.Linear(input, Weight, Bias);
    }
}
