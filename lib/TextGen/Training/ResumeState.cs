// The resume state of a run, in one atomic safetensors file beside the best checkpoint: the last
// weights, the optimizer's moments, the carried hidden state and, as metadata, the cursor, the
// batch position and the options, so that N/2 steps + resume + N/2 steps equals N steps exactly.
using System.Text.Json;
using TextGen.Nn;
using TextGen.Optim;
using TextGen.Tensors;

namespace TextGen.Training;

/// <summary>Everything read back from a resume file.</summary>
/// <param name="Model">The last weights, with the tokenizer.</param>
/// <param name="Optimizer">The optimizer's state in TextGen's layout.</param>
/// <param name="Options">The run's settings.</param>
/// <param name="BatchesState">Where the batches stood.</param>
/// <param name="Metadata">The file's metadata as written.</param>
/// <param name="CarriedState">The state the next batch starts from, or null (a stateless run, or an epoch's start).</param>
public sealed record ResumeData(
    LoadedModel Model,
    OptimizerState Optimizer,
    TrainOptions Options,
    string BatchesState,
    IReadOnlyDictionary<string, string> Metadata,
    RecurrentState? CarriedState)
{
    internal TrainingCursor Cursor { get; init; } = new();
}

/// <summary>Writes and reads the file that lets <c>textgen train --resume</c> continue a run exactly.</summary>
public static class ResumeState
{
    /// <summary>The <c>format</c> metadata of a resume file.</summary>
    public const string Format = "textgen-resume/1";

    private static readonly JsonSerializerOptions Json = new() { IncludeFields = false };

    /// <summary>The resume file that goes with a checkpoint path.</summary>
    public static string PathFor(string checkpointPath) =>
        Path.ChangeExtension(checkpointPath, null) + ".resume.safetensors";

    /// <summary>Saves the trainer's current state atomically.</summary>
    public static void Save(string path, Trainer trainer)
    {
        var c = trainer.Cursor;
        var tensors = new List<KeyValuePair<string, Tensor>>();
        foreach (var (name, p) in trainer.Engine.ExportParameters()) tensors.Add(KeyValuePair.Create("model." + name, p));
        var os = trainer.Engine.ExportOptimizerState();
        foreach (var (key, values) in os.Buffers.OrderBy(b => b.Key, StringComparer.Ordinal))
            tensors.Add(KeyValuePair.Create("optim." + key, new Tensor(values, values.Length)));
        if (trainer.Engine.CarriedState is { } s)
        {
            tensors.Add(KeyValuePair.Create("carry.h", s.H));
            if (s.C is not null) tensors.Add(KeyValuePair.Create("carry.c", s.C));
        }
        var meta = ModelCheckpoint.Metadata(Format, trainer.Engine.Config, trainer.Tokenizer.Kind, trainer.Tokenizer.Vocabulary);
        meta["lowercase"] = trainer.Tokenizer.LowerCase ? "true" : "false";
        meta["optimizer"] = JsonSerializer.Serialize(new { os.Kind, os.StepCount, os.LearningRate, os.Hyperparameters });
        meta["cursor"] = JsonSerializer.Serialize(new CursorDto(c.Step, c.Seconds, c.BestValidation, c.BestStep, c.EvalsWithoutImprovement, c.History.ToList()));
        meta["batches"] = trainer.Batches.SaveState();
        meta["options"] = JsonSerializer.Serialize(trainer.Options, Json);
        SafeTensors.Write(path, tensors, meta);
    }

    /// <summary>Reads a resume file; a file of another format or a damaged one is a <see cref="CheckpointException"/>.</summary>
    public static ResumeData Load(string path)
    {
        var (tensors, meta) = SafeTensors.Read(path);
        string Bad(string why) => $"resume file '{path}' cannot be used: {why}";
        if (meta.GetValueOrDefault("format") != Format) throw new CheckpointException(Bad($"format is '{meta.GetValueOrDefault("format")}', not {Format}"));
        try
        {
            // Rebuild the model through the checkpoint loader so the same validation applies.
            var modelTensors = tensors.Where(t => t.Key.StartsWith("model.", StringComparison.Ordinal))
                .ToDictionary(t => t.Key["model.".Length..], t => t.Value);
            var modelMeta = new Dictionary<string, string>(meta) { ["format"] = ModelCheckpoint.Format };
            var model = ModelCheckpoint.FromTensors(modelTensors, modelMeta, path);
            var od = JsonDocument.Parse(meta["optimizer"]).RootElement;
            var buffers = tensors.Where(t => t.Key.StartsWith("optim.", StringComparison.Ordinal))
                .ToDictionary(t => t.Key["optim.".Length..], t => t.Value.Data);
            var hyper = od.GetProperty("Hyperparameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
            var optimizer = new OptimizerState(od.GetProperty("Kind").GetString()!, od.GetProperty("StepCount").GetInt32(),
                od.GetProperty("LearningRate").GetDouble(), hyper, buffers);
            var options = JsonSerializer.Deserialize<TrainOptions>(meta["options"], Json)!;
            var cd = JsonSerializer.Deserialize<CursorDto>(meta["cursor"])!;
            var cursor = new TrainingCursor
            {
                Step = cd.Step, Seconds = cd.Seconds, BestValidation = cd.BestValidation, BestStep = cd.BestStep,
                EvalsWithoutImprovement = cd.EvalsWithoutImprovement,
            };
            cursor.History.AddRange(cd.History);
            var carried = tensors.GetValueOrDefault("carry.h") is { } h ? new RecurrentState(h, tensors.GetValueOrDefault("carry.c")) : null;
            return new ResumeData(model, optimizer, options, meta["batches"], meta, carried) { Cursor = cursor };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new CheckpointException(Bad($"its metadata is damaged ({e.Message})"), e);
        }
    }

    private sealed record CursorDto(int Step, double Seconds, float? BestValidation, int? BestStep, int EvalsWithoutImprovement, List<LossPoint> History);
}
