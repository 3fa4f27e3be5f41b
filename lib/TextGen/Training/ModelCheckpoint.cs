// A trained model on disk: the weights under PyTorch's names in a safetensors file, and in its
// metadata everything needed to rebuild the model and its tokenizer ("format": "textgen/1").
using System.Globalization;
using System.Text.Json;
using TextGen.Nn;
using TextGen.Tensors;
using TextGen.Text;

namespace TextGen.Training;

/// <summary>A model read back from a checkpoint, with the tokenizer description stored beside its weights.</summary>
public sealed record LoadedModel(CharRnnModel Model, TokenizerKind TokenizerKind, IReadOnlyList<string> Vocabulary, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>Whether the word tokenizer lower-cased its text.</summary>
    public bool LowerCase => Metadata.GetValueOrDefault("lowercase") == "true";

    /// <summary>The tokenizer the model was trained with, rebuilt from the stored vocabulary.</summary>
    public ITokenizer CreateTokenizer() => TokenizerFactory.Create(TokenizerKind, Vocabulary, LowerCase);
}

/// <summary>Saves and loads <see cref="CharRnnModel"/> checkpoints in the textgen/1 safetensors layout.</summary>
public static class ModelCheckpoint
{
    /// <summary>The value of the <c>format</c> metadata key.</summary>
    public const string Format = "textgen/1";

    /// <summary>Writes the model atomically; <paramref name="extra"/> adds metadata keys (say, training step or corpus).</summary>
    public static void Save(string path, CharRnnModel model, TokenizerKind tokenizerKind, IReadOnlyList<string> vocabulary,
        IReadOnlyDictionary<string, string>? extra = null) =>
        Save(path, model.Config, model.NamedParameters().Select(p => KeyValuePair.Create(p.Name, p.Parameter)), tokenizerKind, vocabulary, extra);

    /// <summary>Writes the model an engine trains, from its exported weights: the same file whichever engine trained it.</summary>
    public static void Save(string path, ITrainingEngine engine, TokenizerKind tokenizerKind, IReadOnlyList<string> vocabulary,
        IReadOnlyDictionary<string, string>? extra = null) =>
        Save(path, engine.Config, engine.ExportParameters(), tokenizerKind, vocabulary, extra);

    private static void Save(string path, CharRnnConfig config, IEnumerable<KeyValuePair<string, Tensor>> parameters, TokenizerKind tokenizerKind,
        IReadOnlyList<string> vocabulary, IReadOnlyDictionary<string, string>? extra)
    {
        if (vocabulary.Count != config.VocabularySize)
            throw new ArgumentException($"checkpoint: the vocabulary has {vocabulary.Count} tokens but the model predicts {config.VocabularySize}");
        var meta = Metadata(Format, config, tokenizerKind, vocabulary);
        if (extra is not null) foreach (var (k, v) in extra) meta.TryAdd(k, v);
        SafeTensors.Write(path, parameters, meta);
    }

    /// <summary>
    /// The header keys that describe the model and its tokenizer, shared by checkpoints and resume files. Values stay the
    /// strings of textgen/1 (arch "lstm", sizes as integers), so files written by any version load in every other.
    /// </summary>
    internal static Dictionary<string, string> Metadata(string format, CharRnnConfig c, TokenizerKind tokenizerKind, IReadOnlyList<string> vocabulary) => new()
    {
        ["format"] = format,
        ["arch"] = c.Arch.ToName(),
        ["tokenizer"] = tokenizerKind.ToName(),
        ["vocab"] = JsonSerializer.Serialize(vocabulary),
        ["embedding_dim"] = c.EmbeddingDim.ToString(CultureInfo.InvariantCulture),
        ["hidden_size"] = c.HiddenSize.ToString(CultureInfo.InvariantCulture),
        ["num_layers"] = c.NumLayers.ToString(CultureInfo.InvariantCulture),
        ["dropout"] = c.Dropout.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>Reads a checkpoint and rebuilds its model; every inconsistency is a <see cref="CheckpointException"/>.</summary>
    public static LoadedModel Load(string path)
    {
        var (tensors, meta) = SafeTensors.Read(path);
        return FromTensors(tensors, meta, path);
    }

    /// <summary>Rebuilds a model from tensors and textgen/1 metadata already read; <paramref name="path"/> names the source in errors.</summary>
    public static LoadedModel FromTensors(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> meta, string path)
    {
        string Bad(string why) => $"checkpoint '{path}' cannot be used: {why}";
        string Need(string key) => meta.TryGetValue(key, out var v) ? v
            : throw new CheckpointException(Bad($"metadata key '{key}' is missing (was it written by TextGen or with the textgen/1 metadata?)"));
        int NeedInt(string key, int min) => int.TryParse(Need(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= 1 << 20
            ? v : throw new CheckpointException(Bad($"metadata '{key}' = '{meta[key]}' is not a valid size"));
        T NeedName<T>(string key) where T : struct, Enum => EnumNames.TryParse<T>(Need(key), out var v) ? v
            : throw new CheckpointException(Bad($"unknown {EnumNames.Noun<T>()} '{meta[key]}': use {EnumNames.Choices<T>()}"));

        if (Need("format") != Format) throw new CheckpointException(Bad($"format '{meta["format"]}' is not {Format}"));
        var arch = NeedName<RecurrentArch>("arch");
        var tokenizer = NeedName<TokenizerKind>("tokenizer");
        List<string>? vocab;
        try { vocab = JsonSerializer.Deserialize<List<string>>(Need("vocab")); }
        catch (JsonException e) { throw new CheckpointException(Bad("the vocab metadata is not a JSON array of strings"), e); }
        if (vocab is null || vocab.Count == 0 || vocab.Any(t => t is null)) throw new CheckpointException(Bad("the vocabulary is empty"));
        if (vocab.Distinct().Count() != vocab.Count) throw new CheckpointException(Bad("the vocabulary has duplicate tokens"));
        float dropout = float.TryParse(meta.GetValueOrDefault("dropout", "0"), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0 && d < 1 ? d : 0f;
        var config = new CharRnnConfig(vocab.Count, arch, NeedInt("embedding_dim", 0), NeedInt("hidden_size", 1), NeedInt("num_layers", 1), dropout);

        // Check names and shapes before building the model, so a mismatched file costs no large allocation.
        if (StateDictCheck.Problems(config.ParameterShapes().ToList(), tensors) is { } problems)
            throw new CheckpointException(Bad($"its tensors do not fit the {arch.ToName()} with {config.NumLayers} layer(s), hidden size {config.HiddenSize}, " +
                (config.EmbeddingDim > 0 ? $"embedding {config.EmbeddingDim}" : "one-hot input") + $" and {config.VocabularySize} tokens that its metadata describes: {problems}"));
        var model = new CharRnnModel(config);
        model.LoadStateDict(tensors);
        return new LoadedModel(model, tokenizer, vocab, meta);
    }
}
