// A plain float64 forward and backward pass of the character model (Embedding -> RNN/LSTM/GRU stack -> Linear ->
// mean cross-entropy), written for clarity, as the independent reference the GPU trainer's loss and gradients are checked against.
namespace TextGen.Tests.Cuda;

/// <summary>Loss and gradients of the character model in double precision, PyTorch names and layouts, zero initial state, no dropout.</summary>
public static class CharModelReference
{
    /// <summary>Mean cross-entropy over batch x seqLen and the gradient of every parameter.</summary>
    /// <param name="arch">rnn_tanh, rnn_relu, lstm or gru.</param>
    /// <param name="layers">Number of recurrent layers.</param>
    /// <param name="parameters">Parameters under PyTorch's names.</param>
    /// <param name="tokens">Input ids, batch-major (batch, seqLen).</param>
    /// <param name="targets">Target ids, batch-major.</param>
    /// <param name="batch">Number of sequences.</param>
    /// <param name="seqLen">Length of each sequence.</param>
    public static (double Loss, Dictionary<string, double[]> Gradients) LossAndGradients(string arch, int layers,
        IReadOnlyDictionary<string, float[]> parameters, int[] tokens, int[] targets, int batch, int seqLen) =>
        LossAndGradients(arch, layers, parameters.ToDictionary(kv => kv.Key, kv => kv.Value.Select(v => (double)v).ToArray()), tokens, targets, batch, seqLen);

    /// <summary>The same in double-precision parameters, for finite-difference checks of the reference itself.</summary>
    public static (double Loss, Dictionary<string, double[]> Gradients) LossAndGradients(string arch, int layers,
        IReadOnlyDictionary<string, double[]> p, int[] tokens, int[] targets, int batch, int seqLen)
    {
        var grads = p.ToDictionary(kv => kv.Key, kv => new double[kv.Value.Length]);
        int gates = arch switch { "lstm" => 4, "gru" => 3, _ => 1 };
        int vocab = p["decoder.bias"].Length, hidden = p["decoder.weight"].Length / vocab, emb = p["embedding.weight"].Length / vocab;

        // Forward. xs[l] is the input sequence of layer l, (batch, seqLen, in); hs[l] its states, (batch, seqLen + 1, hidden) with h_0 = 0.
        var xs = new double[layers + 1][];
        var hs = new double[layers][];
        var cs = new double[layers][];
        var ai = new double[layers][];
        var ah = new double[layers][];
        xs[0] = new double[batch * seqLen * emb];
        for (int r = 0; r < batch * seqLen; r++)
            Array.Copy(p["embedding.weight"], tokens[r] * emb, xs[0], r * emb, emb);
        for (int l = 0; l < layers; l++)
        {
            int inDim = l == 0 ? emb : hidden, gh = gates * hidden;
            double[] wih = p[$"rnn.weight_ih_l{l}"], whh = p[$"rnn.weight_hh_l{l}"], bih = p[$"rnn.bias_ih_l{l}"], bhh = p[$"rnn.bias_hh_l{l}"];
            hs[l] = new double[batch * (seqLen + 1) * hidden];
            cs[l] = new double[batch * (seqLen + 1) * hidden];
            ai[l] = new double[batch * seqLen * gh];
            ah[l] = new double[batch * seqLen * gh];
            xs[l + 1] = new double[batch * seqLen * hidden];
            for (int b = 0; b < batch; b++)
                for (int t = 0; t < seqLen; t++)
                {
                    int r = b * seqLen + t, prev = (b * (seqLen + 1) + t) * hidden, next = prev + hidden;
                    for (int j = 0; j < gh; j++)
                    {
                        double a = bih[j], c = bhh[j];
                        for (int k = 0; k < inDim; k++) a += wih[j * inDim + k] * xs[l][r * inDim + k];
                        for (int k = 0; k < hidden; k++) c += whh[j * hidden + k] * hs[l][prev + k];
                        ai[l][r * gh + j] = a;
                        ah[l][r * gh + j] = c;
                    }
                    for (int u = 0; u < hidden; u++)
                    {
                        var g = Gates(arch, ai[l], ah[l], r * gh, u, hidden);
                        double hPrev = hs[l][prev + u], h, cNew = 0;
                        if (arch == "lstm") { cNew = g[1] * cs[l][prev + u] + g[0] * g[2]; h = g[3] * Math.Tanh(cNew); }
                        else if (arch == "gru") h = (1 - g[1]) * g[2] + g[1] * hPrev;
                        else h = g[0];
                        hs[l][next + u] = h;
                        cs[l][next + u] = cNew;
                        xs[l + 1][r * hidden + u] = h;
                    }
                }
        }

        // Decoder and mean cross-entropy; dlogits = (softmax - onehot) / N.
        int n = batch * seqLen;
        double loss = 0;
        var top = xs[layers];
        var dTop = new double[n * hidden];
        double[] wd = p["decoder.weight"], bd = p["decoder.bias"];
        for (int r = 0; r < n; r++)
        {
            var logits = new double[vocab];
            for (int v = 0; v < vocab; v++)
            {
                logits[v] = bd[v];
                for (int k = 0; k < hidden; k++) logits[v] += wd[v * hidden + k] * top[r * hidden + k];
            }
            double max = logits.Max(), sum = logits.Sum(z => Math.Exp(z - max)), logSum = Math.Log(sum) + max;
            loss += logSum - logits[targets[r]];
            for (int v = 0; v < vocab; v++)
            {
                double d = (Math.Exp(logits[v] - logSum) - (v == targets[r] ? 1 : 0)) / n;
                grads["decoder.bias"][v] += d;
                for (int k = 0; k < hidden; k++)
                {
                    grads["decoder.weight"][v * hidden + k] += d * top[r * hidden + k];
                    dTop[r * hidden + k] += d * wd[v * hidden + k];
                }
            }
        }

        // Backpropagation through time, top layer first; dIn becomes the gradient of the layer below's outputs.
        var dOut = dTop;
        for (int l = layers - 1; l >= 0; l--)
        {
            int inDim = l == 0 ? emb : hidden, gh = gates * hidden;
            double[] wih = p[$"rnn.weight_ih_l{l}"], whh = p[$"rnn.weight_hh_l{l}"];
            double[] gwih = grads[$"rnn.weight_ih_l{l}"], gwhh = grads[$"rnn.weight_hh_l{l}"], gbih = grads[$"rnn.bias_ih_l{l}"], gbhh = grads[$"rnn.bias_hh_l{l}"];
            var dIn = new double[n * inDim];
            for (int b = 0; b < batch; b++)
            {
                var dhNext = new double[hidden];
                var dcNext = new double[hidden];
                for (int t = seqLen - 1; t >= 0; t--)
                {
                    int r = b * seqLen + t, prev = (b * (seqLen + 1) + t) * hidden, next = prev + hidden;
                    var dai = new double[gh];
                    var dah = new double[gh];
                    var dhPrev = new double[hidden];
                    for (int u = 0; u < hidden; u++)
                    {
                        double dh = dOut[r * hidden + u] + dhNext[u], hPrev = hs[l][prev + u];
                        var g = Gates(arch, ai[l], ah[l], r * gh, u, hidden);
                        if (arch == "lstm")
                        {
                            double tc = Math.Tanh(cs[l][next + u]);
                            double dc = dcNext[u] + dh * g[3] * (1 - tc * tc);
                            double[] d = [dc * g[2] * g[0] * (1 - g[0]), dc * cs[l][prev + u] * g[1] * (1 - g[1]), dc * g[0] * (1 - g[2] * g[2]), dh * tc * g[3] * (1 - g[3])];
                            for (int q = 0; q < 4; q++) dai[q * hidden + u] = dah[q * hidden + u] = d[q];
                            dcNext[u] = dc * g[1];
                        }
                        else if (arch == "gru")
                        {
                            double dnPre = dh * (1 - g[1]) * (1 - g[2] * g[2]);
                            double dzPre = dh * (hPrev - g[2]) * g[1] * (1 - g[1]);
                            double drPre = dnPre * ah[l][r * gh + 2 * hidden + u] * g[0] * (1 - g[0]);
                            dai[u] = dah[u] = drPre;
                            dai[hidden + u] = dah[hidden + u] = dzPre;
                            dai[2 * hidden + u] = dnPre;
                            dah[2 * hidden + u] = dnPre * g[0];
                            dhPrev[u] += dh * g[1];
                        }
                        else
                        {
                            double d = arch == "rnn_relu" ? (g[0] > 0 ? dh : 0) : dh * (1 - g[0] * g[0]);
                            dai[u] = dah[u] = d;
                        }
                    }
                    for (int j = 0; j < gh; j++)
                    {
                        gbih[j] += dai[j];
                        gbhh[j] += dah[j];
                        for (int k = 0; k < inDim; k++)
                        {
                            gwih[j * inDim + k] += dai[j] * xs[l][r * inDim + k];
                            dIn[r * inDim + k] += dai[j] * wih[j * inDim + k];
                        }
                        for (int k = 0; k < hidden; k++)
                        {
                            gwhh[j * hidden + k] += dah[j] * hs[l][prev + k];
                            dhPrev[k] += dah[j] * whh[j * hidden + k];
                        }
                    }
                    dhNext = dhPrev;
                }
            }
            dOut = dIn;
        }
        for (int r = 0; r < n; r++)
            for (int k = 0; k < emb; k++) grads["embedding.weight"][tokens[r] * emb + k] += dOut[r * emb + k];
        return (loss / n, grads);
    }

    // Activated gates of unit u: LSTM (i, f, g, o), GRU (r, z, n), RNN (h).
    private static double[] Gates(string arch, double[] ai, double[] ah, int at, int u, int hidden)
    {
        double Pre(int q) => ai[at + q * hidden + u] + ah[at + q * hidden + u];
        static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
        return arch switch
        {
            "lstm" => [Sigmoid(Pre(0)), Sigmoid(Pre(1)), Math.Tanh(Pre(2)), Sigmoid(Pre(3))],
            "gru" => [Sigmoid(Pre(0)), Sigmoid(Pre(1)), Math.Tanh(ai[at + 2 * hidden + u] + Sigmoid(Pre(0)) * ah[at + 2 * hidden + u])],
            "rnn_relu" => [Math.Max(Pre(0), 0)],
            _ => [Math.Tanh(Pre(0))],
        };
    }
}
