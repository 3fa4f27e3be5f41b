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

    /// <summary>
    /// The mean forget gate f of a one-layer <paramref name="layer"/> on the inputs <see cref="InputGradientNorms"/> uses for the
    /// same <paramref name="seqLen"/>, <paramref name="batch"/> and <paramref name="seed"/>: the mean over batch, steps and units of
    /// σ(W_if x_t + b_if + W_hf h_{t-1} + b_hf). Along the cell state alone, each step back multiplies the gradient by f.
    /// </summary>
    public static double MeanForgetGate(Lstm layer, int seqLen, int batch = 8, ulong seed = 1)
    {
        if (!layer.BatchFirst) throw new ArgumentException("forget gate: build the layer with batchFirst: true");
        if (layer.NumLayers != 1) throw new ArgumentException($"forget gate: the layer has {layer.NumLayers} layers; measure a one-layer LSTM");
        using var _ = Autograd.NoGrad();
        int h = layer.HiddenSize;
        var x = Tensor.Uniform(new Generator(seed), -1, 1, batch, seqLen, layer.InputSize);   // InputGradientNorms' first draw
        var (y, _) = layer.Forward(x);                                                      // (batch, seqLen, H): h_t
        var hPrev = Ops.Concat([Tensor.Zeros(batch, 1, h), Ops.Slice(y, 1, 0, seqLen - 1)], 1);   // h_{t-1}, zero before the first step
        var p = layer.StateDict();
        Tensor Rows(string name) => Ops.Slice(p[name], 0, h, h);                            // gate order i, f, g, o: f is the second block
        var f = Ops.Sigmoid(Ops.Add(
            Ops.Add(Ops.MatMul(x, Rows("weight_ih_l0"), transposeB: true), Rows("bias_ih_l0")),
            Ops.Add(Ops.MatMul(hPrev, Rows("weight_hh_l0"), transposeB: true), Rows("bias_hh_l0"))));   // (batch, seqLen, H)
        return Ops.Mean(f).Item();
    }
}
