// Compares the CUDA engine's loss and gradients with the float64 reference on a tiny model, for the GPU tests:
// ‖gpu − ref‖ / ‖ref‖ for the loss and each parameter's gradient, +∞ where either side holds a NaN or ∞
// (Difference.Relative), so a non-finite loss or gradient never passes.
using TextGen.Cuda;
using TextGen.Nn;
using TextGen.Tensors;
using TextGen.Training;

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
    };

    /// <summary>Largest relative error over the loss and every gradient, and the name of the worst one.</summary>
    public static (double MaxRelativeError, string Worst) Check(RecurrentArch arch, Precision precision, int batch = 3, int seqLen = 7, ulong seed = 5)
    {
        var config = TinyModel(arch);
        var parameters = CharRnnModel.InitialParameters(config, seed);
        var (tokens, targets) = RandomBatch(config.VocabularySize, batch, seqLen, seed + 1);
        using var engine = new CudaEngine(config, Tensors(config, parameters), learningRate: 0.01, precision: precision);
        double loss = engine.ForwardBackward(new StepBatch(tokens, targets, batch, seqLen) { CarryState = false, Seed = 1, Step = 0 });
        var grads = engine.Trainer.ExportGradients();
        var (refLoss, refGrads) = CharModelReference.LossAndGradients(ReferenceName(arch), config.NumLayers, parameters, tokens, targets, batch, seqLen);
        double worst = Difference.Relative(loss, refLoss);
        string worstName = "loss";
        foreach (var (key, expected) in refGrads)
        {
            double rel = Difference.Relative(grads[key], expected);
            if (rel > worst) { worst = rel; worstName = key; }
        }
        return (worst, worstName);
    }
}
