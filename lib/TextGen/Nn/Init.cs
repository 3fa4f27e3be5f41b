// PyTorch's default initialisations, drawn from an explicit generator.
using TextGen.Tensors;

namespace TextGen.Nn;

/// <summary>Parameter initialisation as torch.nn does by default.</summary>
public static class Init
{
    /// <summary>Uniform in ±1/sqrt(fanIn): PyTorch's default for Linear weights and biases (kaiming_uniform with a = √5) and for recurrent layers (fanIn = hidden).</summary>
    public static Tensor UniformFanIn(Generator generator, int fanIn, params int[] shape)
    {
        float bound = fanIn > 0 ? 1f / MathF.Sqrt(fanIn) : 0f;
        return Tensor.Uniform(generator, -bound, bound, shape);
    }

    /// <summary>Standard normal, PyTorch's default for Embedding.</summary>
    public static Tensor StandardNormal(Generator generator, params int[] shape) => Tensor.Normal(generator, 0f, 1f, shape);
}
