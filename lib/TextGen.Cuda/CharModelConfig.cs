// The character model the GPU path trains: Embedding -> recurrent stack -> Linear decoder, described by one record,
// with the PyTorch parameter names and shapes it implies.
using TextGen.Nn;

namespace TextGen.Cuda;

/// <summary>Shape of a character model: <c>Embedding(Vocab, EmbeddingDim) -> Arch(EmbeddingDim, Hidden, Layers, dropout) -> Linear(Hidden, Vocab)</c>.</summary>
/// <param name="Arch">The recurrent cell.</param>
/// <param name="Vocab">Number of token ids (65 for tiny Shakespeare's characters).</param>
/// <param name="EmbeddingDim">Width of the embedding.</param>
/// <param name="Hidden">Hidden size of every recurrent layer.</param>
/// <param name="Layers">Number of stacked recurrent layers.</param>
/// <param name="Dropout">Dropout between recurrent layers in training, as <c>nn.LSTM(dropout=...)</c>.</param>
public sealed record CharModelConfig(
    RecurrentArch Arch = RecurrentArch.Lstm,
    int Vocab = 65,          // tiny Shakespeare's character set
    int EmbeddingDim = 64,
    int Hidden = 256,
    int Layers = 1,
    float Dropout = 0f)      // between layers only, as PyTorch
{
    /// <summary>Gates per layer: 4 for LSTM, 3 for GRU, 1 for a plain RNN.</summary>
    public int Gates => Arch switch { RecurrentArch.Lstm => 4, RecurrentArch.Gru => 3, _ => 1 };

    /// <summary>The model of a benchmark configuration for a cell type.</summary>
    public static CharModelConfig For(TextGen.Training.BenchmarkConfig c, RecurrentArch arch) => From(c.Model(arch));

    /// <summary>The GPU description of a <see cref="CharRnnConfig"/>; the GPU path needs an embedding (no one-hot input).</summary>
    public static CharModelConfig From(CharRnnConfig c)
    {
        if (c.EmbeddingDim < 1)
            throw new ArgumentException("the GPU path trains models with an embedding; one-hot input (embedding dim 0) runs on the CPU: give --embedding-dim or use --device cpu");
        return new(c.Arch, c.VocabularySize, c.EmbeddingDim, c.HiddenSize, c.NumLayers, c.Dropout);
    }

    /// <summary>The same model as the CPU library describes it, for <see cref="CharRnnModel"/> and checkpoints.</summary>
    public CharRnnConfig ToCharRnnConfig() => new(Vocab, Arch, EmbeddingDim, Hidden, Layers, Dropout);

    /// <summary>Throws a clear message for sizes that cannot make a model.</summary>
    public void Validate()
    {
        if (Vocab < 2) throw new ArgumentException($"Vocab is {Vocab}: a model needs at least 2 token ids");
        if (EmbeddingDim < 1 || Hidden < 1 || Layers < 1)
            throw new ArgumentException($"EmbeddingDim ({EmbeddingDim}), Hidden ({Hidden}) and Layers ({Layers}) must all be at least 1");
        if (Dropout is < 0f or >= 1f) throw new ArgumentException($"Dropout is {Dropout}: it must be in [0, 1)");
    }

    /// <summary>Every parameter with its PyTorch name and shape, in the order <c>model.named_parameters()</c> lists them.</summary>
    public IEnumerable<(string Name, int[] Shape)> ParameterShapes()
    {
        yield return ("embedding.weight", [Vocab, EmbeddingDim]);
        for (int k = 0; k < Layers; k++)
        {
            int input = k == 0 ? EmbeddingDim : Hidden;
            yield return ($"rnn.weight_ih_l{k}", [Gates * Hidden, input]);
            yield return ($"rnn.weight_hh_l{k}", [Gates * Hidden, Hidden]);
            yield return ($"rnn.bias_ih_l{k}", [Gates * Hidden]);
            yield return ($"rnn.bias_hh_l{k}", [Gates * Hidden]);
        }
        yield return ("decoder.weight", [Vocab, Hidden]);
        yield return ("decoder.bias", [Vocab]);
    }

    /// <summary>Total number of parameters (350,593 for the LSTM of benchmark configuration S).</summary>
    public long ParameterCount() => ParameterShapes().Sum(p => p.Shape.Aggregate(1L, (a, d) => a * d));

    /// <summary>Checks that <paramref name="parameters"/> holds every parameter with the right element count.</summary>
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

    /// <summary>Parameters initialised as PyTorch does: embedding N(0, 1), recurrent and decoder weights U(-1/sqrt(fan), 1/sqrt(fan)).</summary>
    /// <param name="seed">Seed of the generator, for reproducible weights.</param>
    public Dictionary<string, float[]> InitialParameters(ulong seed)
    {
        var generator = new TextGen.Tensors.Generator(seed);
        var result = new Dictionary<string, float[]>();
        foreach (var (name, shape) in ParameterShapes())
        {
            var values = new float[shape.Aggregate(1, (a, d) => a * d)];
            if (name == "embedding.weight")
            {
                for (int i = 0; i < values.Length; i++) values[i] = (float)generator.NextNormal();
            }
            else
            {
                // nn.RNN/LSTM/GRU use 1/sqrt(hidden); nn.Linear uses 1/sqrt(in_features), which is Hidden too here.
                float bound = 1f / MathF.Sqrt(Hidden);
                for (int i = 0; i < values.Length; i++) values[i] = (float)(generator.NextDouble() * 2 - 1) * bound;
            }
            result[name] = values;
        }
        return result;
    }
}
