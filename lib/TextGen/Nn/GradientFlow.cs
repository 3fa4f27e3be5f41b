// How far back a gradient reaches: the norm of d(output at the last step)/d(input at step t) for
// every t. Vanilla RNNs show it shrinking geometrically with distance; LSTM and GRU keep it (lesson 5).
using TextGen.Tensors;

namespace TextGen.Nn;

/// <summary>Measures gradient norms against distance in time for a recurrent layer.</summary>
public static class GradientFlow
{
    /// <summary>
    /// Runs <paramref name="layer"/> (batch-first) on random inputs of <paramref name="seqLen"/> steps, backpropagates a random
    /// projection of the last step's output, and returns ‖∂L/∂x_t‖ for t = 0..seqLen-1 (mean over the batch). Index seqLen-1 - t
    /// is the distance in time.
    /// </summary>
    public static double[] InputGradientNorms(RecurrentLayer layer, int seqLen, int batch = 8, ulong seed = 1)
    {
        if (!layer.BatchFirst) throw new ArgumentException("gradient flow: build the layer with batchFirst: true");
        var g = new Generator(seed);
        var x = Tensor.Uniform(g, -1, 1, batch, seqLen, layer.InputSize).RequireGrad();
        var (y, _) = layer.Forward(x);
        var last = Ops.Select(y, 1, seqLen - 1);                       // (batch, hidden)
        var w = Tensor.Uniform(g, -1, 1, batch, layer.HiddenSize);
        Ops.Sum(Ops.Mul(last, w)).Backward();
        var norms = new double[seqLen];
        var grad = x.Grad!.Data;
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < seqLen; t++)
            {
                double s = 0;
                var row = grad.AsSpan((b * seqLen + t) * layer.InputSize, layer.InputSize);
                foreach (var v in row) s += (double)v * v;
                norms[t] += Math.Sqrt(s) / batch;
            }
        layer.ZeroGrad();
        return norms;
    }
}
