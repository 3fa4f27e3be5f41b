// Compares the CUDA engine's loss and gradients with the float64 reference on a tiny model, for the GPU tests:
// ‖gpu − ref‖ / ‖ref‖ for the loss and each parameter's gradient.
using TextGen.Cuda;
using TextGen.Nn;
using TextGen.Tensors;

namespace TextGen.Tests.Cuda;

/// <summary>Parity of <see cref="CudaEngine"/> with <see cref="CharModelReference"/>.</summary>
public static class GpuParity
{
    /// <summary>The tiny model the parity checks use: two layers, odd sizes so that no kernel gets a round number.</summary>
    public static CharRnnConfig TinyModel(RecurrentArch arch) => new(Arch: arch, VocabularySize: 11, EmbeddingDim: 5, HiddenSize: 9, NumLayers: 2, Dropout: 0f);

    /// <summary>Random batch-major ids of a (batch, seqLen) batch.</summary>
    public static (int[] Tokens, int[] Targets) RandomBatch(int vocab, int batch, int seqLen, ulong seed)
    {
        var g = new Generator(seed);
        var tokens = new int[batch * seqLen];
        var targets = new int[batch * seqLen];
        for (int i = 0; i < tokens.Length; i++) { tokens[i] = g.NextInt(vocab); targets[i] = g.NextInt(vocab); }
        return (tokens, targets);
    }

    /// <summary>The weights as the engine takes them: CPU tensors under PyTorch's names.</summary>
    public static Dictionary<string, Tensor> Tensors(CharRnnConfig config, IReadOnlyDictionary<string, float[]> values) =>
        config.ParameterShapes().ToDictionary(p => p.Name, p => new Tensor((float[])values[p.Name].Clone(), p.Shape));

    /// <summary>The reference's name of a cell type.</summary>
    public static string ReferenceName(RecurrentArch arch) => arch switch
    {
        RecurrentArch.Rnn => "rnn_tanh",
        RecurrentArch.RnnRelu => "rnn_relu",
        RecurrentArch.Lstm => "lstm",
        RecurrentArch.Gru => "gru",
        _ => throw new ArgumentOutOfRangeException(nameof(arch), arch, "no reference for this cell"),
    };

    /// <summary>Largest relative error over the loss and every gradient, and the name of the worst one.</summary>
    public static (double MaxRelativeError, string Worst) Check(RecurrentArch arch, Precision precision, int batch = 3, int seqLen = 7, ulong seed = 5)
    {
        var config = TinyModel(arch);
        var parameters = CharRnnModel.InitialParameters(config, seed);
        var (tokens, targets) = RandomBatch(config.VocabularySize, batch, seqLen, seed + 1);
        using var engine = new CudaEngine(config, Tensors(config, parameters), learningRate: 0.01, precision: precision);
        double loss = engine.ForwardBackward(tokens, targets, batch, seqLen, carryState: false, seed: 1, step: 0);
        var grads = engine.Trainer.ExportGradients();
        var (refLoss, refGrads) = CharModelReference.LossAndGradients(ReferenceName(arch), config.NumLayers, parameters, tokens, targets, batch, seqLen);
        double worst = Math.Abs(loss - refLoss) / Math.Abs(refLoss);
        string worstName = "loss";
        foreach (var (key, expected) in refGrads)
        {
            double diff = 0, norm = 0;
            for (int i = 0; i < expected.Length; i++)
            {
                double d = grads[key][i] - expected[i];
                diff += d * d;
                norm += expected[i] * expected[i];
            }
            double rel = Math.Sqrt(diff) / Math.Max(Math.Sqrt(norm), 1e-30);
            if (!(rel <= worst)) { worst = rel; worstName = key; }   // NaN counts as worst
        }
        return (worst, worstName);
    }
}
