// The one description of the course's model (cell type, sizes, dropout) and what follows from it alone:
// gate counts, PyTorch's parameter names and shapes, and the parameter count. Every engine reads it.
using System.ComponentModel;
using System.Text.Json.Serialization;

namespace TextGen.Nn;

/// <summary>Recurrent cell type of a model: the <c>arch</c> field of a checkpoint, spelled as <see cref="EnumNames"/> reads it.</summary>
[Description("architecture")]
[JsonConverter(typeof(EnumNameJson<RecurrentArch>))]
public enum RecurrentArch
{
    /// <summary>Elman RNN with tanh (PyTorch's mode name <c>rnn_tanh</c> reads as it too).</summary>
    [JsonStringEnumMemberName("rnn"), EnumAlias("rnn_tanh")] Rnn,
    /// <summary>Elman RNN with relu.</summary>
    [JsonStringEnumMemberName("rnn_relu")] RnnRelu,
    /// <summary>LSTM.</summary>
    [JsonStringEnumMemberName("lstm")] Lstm,
    /// <summary>GRU.</summary>
    [JsonStringEnumMemberName("gru")] Gru,
}

/// <summary>Architecture of a <see cref="CharRnnModel"/>, the one model description that checkpoints, estimates, benchmarks and every engine read.</summary>
public sealed record CharRnnConfig(
    int VocabularySize,                        // tokens in the vocabulary (V)
    RecurrentArch Arch = RecurrentArch.Lstm,   // cell type
    int EmbeddingDim = 64,                     // 0 = one-hot input of size V
    int HiddenSize = 256,                      // H
    int NumLayers = 1,                         // stacked recurrent layers
    float Dropout = 0f)                        // between layers and before the decoder, in training
{
    /// <summary>Gates per layer of <see cref="Arch"/>.</summary>
    public int Gates => GatesOf(Arch);

    /// <summary>Whether <see cref="Arch"/> carries a cell state c beside h (LSTM).</summary>
    public bool HasCellState => HasCellStateOf(Arch);

    /// <summary>Gate blocks stacked in each weight matrix: 4 for LSTM (i, f, g, o), 3 for GRU (r, z, n), 1 for a plain RNN.</summary>
    public static int GatesOf(RecurrentArch arch) => arch switch
    {
        RecurrentArch.Rnn or RecurrentArch.RnnRelu => 1,
        RecurrentArch.Lstm => 4,
        RecurrentArch.Gru => 3,
    };

    /// <summary>Whether a cell type carries a cell state c beside h: only the LSTM does.</summary>
    public static bool HasCellStateOf(RecurrentArch arch) => arch switch
    {
        RecurrentArch.Rnn or RecurrentArch.RnnRelu or RecurrentArch.Gru => false,
        RecurrentArch.Lstm => true,
    };

    /// <summary>Width of the first recurrent layer's input: the embedding size, or V for one-hot input.</summary>
    public int InputSize => EmbeddingDim > 0 ? EmbeddingDim : VocabularySize;

    /// <summary>Throws with a clear message when a size is out of range.</summary>
    public void Validate()
    {
        if (VocabularySize < 1) throw new ArgumentOutOfRangeException(nameof(VocabularySize), $"vocabulary size must be at least 1, got {VocabularySize}");
        if (EmbeddingDim < 0) throw new ArgumentOutOfRangeException(nameof(EmbeddingDim), $"embedding dim must be 0 (one-hot) or more, got {EmbeddingDim}");
        if (HiddenSize < 1) throw new ArgumentOutOfRangeException(nameof(HiddenSize), $"hiddenSize must be at least 1, got {HiddenSize}");
        if (NumLayers < 1) throw new ArgumentOutOfRangeException(nameof(NumLayers), $"numLayers must be at least 1, got {NumLayers}");
        if (Dropout < 0 || Dropout >= 1) throw new ArgumentOutOfRangeException(nameof(Dropout), $"dropout {Dropout} must be in [0, 1)");
    }

    /// <summary>Every parameter with its PyTorch name and shape, in the order <c>model.named_parameters()</c> lists them (no weights allocated).</summary>
    public IEnumerable<(string Name, int[] Shape)> ParameterShapes()
    {
        int g = Gates * HiddenSize;
        if (EmbeddingDim > 0) yield return ("embedding.weight", [VocabularySize, EmbeddingDim]);
        for (int l = 0; l < NumLayers; l++)
        {
            yield return ($"rnn.weight_ih_l{l}", [g, l == 0 ? InputSize : HiddenSize]);
            yield return ($"rnn.weight_hh_l{l}", [g, HiddenSize]);
            yield return ($"rnn.bias_ih_l{l}", [g]);
            yield return ($"rnn.bias_hh_l{l}", [g]);
        }
        yield return ("decoder.weight", [VocabularySize, HiddenSize]);
        yield return ("decoder.bias", [VocabularySize]);
    }

    /// <summary>Number of trainable scalars (350,593 for the LSTM of benchmark configuration S).</summary>
    public long ParameterCount() => ParameterBudget.Total(ParameterShapes());

    /// <summary>Checks that <paramref name="parameters"/> (flat arrays by PyTorch name) holds every parameter with the right element count.</summary>
    public void ValidateParameters(IReadOnlyDictionary<string, float[]> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var (name, shape) in ParameterShapes())
        {
            long expected = shape.Aggregate(1L, (a, d) => a * d);
            if (!parameters.TryGetValue(name, out var values))
                throw new ArgumentException($"parameter '{name}' (shape [{string.Join(", ", shape)}]) is missing; names follow PyTorch's named_parameters()");
            if (values.Length != expected)
                throw new ArgumentException($"parameter '{name}' has {values.Length} values but shape [{string.Join(", ", shape)}] needs {expected}");
        }
    }
}
