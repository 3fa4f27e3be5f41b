// textgen train: every TrainOptions setting as a flag, a progress bar, Ctrl+C saving a resume
// state, and with --json one JSON object at the end.
using System.CommandLine;
using System.Globalization;
using TextGen.Nn;
using TextGen.Optim;
using TextGen.Tensors;
using TextGen.Text;
using TextGen.Training;

namespace TextGen.Cli.Commands;

internal static class TrainCommand
{
    private static readonly TrainOptions D = new();

    private static readonly Option<string> Corpus = new("--corpus") { Description = "catalog name (tinyshakespeare, pride-and-prejudice, timemachine) or a text file", DefaultValueFactory = _ => "tinyshakespeare" };
    private static readonly Option<string> Tokenizer = new("--tokenizer") { Description = "char or word", DefaultValueFactory = _ => D.Tokenizer };
    private static readonly Option<bool> Lower = new("--lowercase") { Description = "lower-case words (word tokenizer)" };
    private static readonly Option<int> MinCount = new("--min-count") { Description = "rarer words become <unk> (word tokenizer)", DefaultValueFactory = _ => D.MinCount };
    private static readonly Option<string> Arch = new("--arch") { Description = "rnn, rnn_relu, lstm or gru", DefaultValueFactory = _ => D.Arch.ToName() };
    private static readonly Option<int> Embedding = new("--embedding-dim") { Description = "embedding size; 0 = one-hot input", DefaultValueFactory = _ => D.EmbeddingDim };
    private static readonly Option<int> Hidden = new("--hidden") { Description = "hidden units per layer", DefaultValueFactory = _ => D.HiddenSize };
    private static readonly Option<int> Layers = new("--layers") { Description = "recurrent layers", DefaultValueFactory = _ => D.NumLayers };
    private static readonly Option<float> Dropout = new("--dropout") { Description = "dropout between layers and before the decoder", DefaultValueFactory = _ => D.Dropout };
    private static readonly Option<int> SeqLen = new("--seq-len") { Description = "tokens per sequence (BPTT length)", DefaultValueFactory = _ => D.SeqLen };
    private static readonly Option<int> Batch = new("--batch") { Description = "sequences per batch", DefaultValueFactory = _ => D.BatchSize };
    private static readonly Option<bool> Stateless = new("--stateless") { Description = "random windows instead of carrying the state across batches" };
    private static readonly Option<string> Optimizer = new("--optimizer") { Description = "adam, adamw or sgd", DefaultValueFactory = _ => D.Optimizer.ToName() };
    private static readonly Option<float> Lr = new("--lr") { Description = "peak learning rate", DefaultValueFactory = _ => D.LearningRate };
    private static readonly Option<string> Schedule = new("--schedule") { Description = "cosine or constant", DefaultValueFactory = _ => D.Schedule };
    private static readonly Option<float> Clip = new("--clip") { Description = "gradient-norm clipping (0 = off)", DefaultValueFactory = _ => D.Clip };
    private static readonly Option<int?> Steps = new("--steps") { Description = "stop after this many steps" };
    private static readonly Option<int?> Epochs = new("--epochs") { Description = "stop after this many passes over the data" };
    private static readonly Option<double?> Minutes = new("--minutes") { Description = "stop after this many minutes (default 4.5 when no other budget is given)" };
    private static readonly Option<int> EvalInterval = new("--eval-interval") { Description = "steps between validation passes", DefaultValueFactory = _ => D.EvalInterval };
    private static readonly Option<int> Patience = new("--patience") { Description = "evaluations without improvement before stopping (0 = never)", DefaultValueFactory = _ => D.Patience };
    private static readonly Option<string> EngineOpt = EngineChoice.Option();
    private static readonly Option<string> DeviceOpt = new("--device") { Description = "cpu, cuda or cuda:N", DefaultValueFactory = _ => D.Device.ToString() };
    private static readonly Option<ulong> Seed = new("--seed") { Description = "seed of every random draw", DefaultValueFactory = _ => D.Seed };
    private static readonly Option<string> Out = new("--out") { Description = "where the best model is saved", DefaultValueFactory = _ => "runs/model.safetensors" };
    private static readonly Option<string?> Resume = new("--resume") { Description = "continue the run saved beside this checkpoint (or its .resume.safetensors)" };
    private static readonly Option<bool> Json = new("--json") { Description = "print one JSON object with the final metrics" };

    public static Command Create()
    {
        var cmd = new Command("train", "Train a recurrent language model on a corpus")
        {
            Corpus, Tokenizer, Lower, MinCount, Arch, Embedding, Hidden, Layers, Dropout, SeqLen, Batch, Stateless, Optimizer, Lr, Schedule,
            Clip, Steps, Epochs, Minutes, EvalInterval, Patience, EngineOpt, DeviceOpt, Seed, Out, Resume, Json,
        };
        cmd.SetAction(r => Run(ReadOptions(r), r.GetValue(Corpus)!, r.GetValue(Resume), r.GetValue(Json)));
        return cmd;
    }

    // The typed settings are parsed here, so a wrong value fails before any data loads, with the values that work.
    private static TrainOptions ReadOptions(ParseResult r)
    {
        var (steps, epochs, minutes) = (r.GetValue(Steps), r.GetValue(Epochs), r.GetValue(Minutes));
        return new TrainOptions
        {
            Tokenizer = r.GetValue(Tokenizer)!, LowerCase = r.GetValue(Lower), MinCount = r.GetValue(MinCount), Arch = RecurrentArchNames.Parse(r.GetValue(Arch)!),
            EmbeddingDim = r.GetValue(Embedding), HiddenSize = r.GetValue(Hidden), NumLayers = r.GetValue(Layers), Dropout = r.GetValue(Dropout),
            SeqLen = r.GetValue(SeqLen), BatchSize = r.GetValue(Batch), Stateful = !r.GetValue(Stateless), Optimizer = OptimizerKindNames.Parse(r.GetValue(Optimizer)!),
            LearningRate = r.GetValue(Lr), Schedule = r.GetValue(Schedule)!, Clip = r.GetValue(Clip), Steps = steps, Epochs = epochs,
            Minutes = minutes ?? (steps is null && epochs is null ? D.Minutes : null), EvalInterval = r.GetValue(EvalInterval),
            Patience = r.GetValue(Patience), Engine = EngineChoice.Read(r, EngineOpt), Device = Device.Parse(r.GetValue(DeviceOpt)!), Seed = r.GetValue(Seed), CheckpointPath = r.GetValue(Out),
        };
    }

    /// <summary>The --json line of a finished run.</summary>
    internal static JsonFigures Summary(TrainingReport report) => new JsonFigures()
        .Add("train_loss", report.FinalTrainLoss).Add("val_loss", report.BestValidationLoss).Add("val_bpc", report.BestBitsPerToken)
        .Add("val_ppl", report.BestPerplexity).Add("tokens_per_s", Math.Round(report.TokensPerSecond)).Add("steps", report.Steps)
        .Add("seconds", Math.Round(report.WallTime.TotalSeconds, 1)).Add("stop", report.StopReason.ToString()).Add("checkpoint", report.CheckpointPath);

    /// <summary>Trains and reports; shared with the main job.</summary>
    public static int Run(TrainOptions options, string corpusName, string? resume, bool json, Action<TrainingSession, TrainingReport>? after = null)
    {
        if (options.Device.Type != DeviceType.Cpu) DeviceCheck.RequireUsableGpu();
        var corpus = TextGen.Text.Corpus.Load(corpusName);
        var session = resume is null ? TrainingSession.Start(options, corpus) : TrainingSession.Resume(resume, corpus, options);
        var t = session.Trainer;
        if (!json)
            Console.WriteLine($"Training a {options.Arch.ToName()} {options.NumLayers}x{options.HiddenSize} ({t.Engine.Config.ParameterCount():N0} parameters" +
                (t.Engine.Kind == EngineKind.TextGen ? "" : $", {t.Engine.Kind.ToName()} engine on {t.Engine.Device}") + $") on {corpus.Name}: " +
                $"{session.TrainIds.Length:N0} training and {session.ValidationIds.Length:N0} validation {session.Tokenizer.Kind}s, vocabulary {session.Tokenizer.VocabularySize}" +
                (resume is null ? "" : $", resumed at step {t.StepsDone}"));
        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cts.Cancel(); };
        Console.CancelKeyPress += onCancel;
        TrainingReport report;
        try { report = ProgressDisplay.Run(t, cts.Token, quiet: json); }
        finally { Console.CancelKeyPress -= onCancel; }
        if (json) Console.WriteLine(Summary(report));
        else
        {
            string F(double? v) => v is { } x ? FigureText.Format(x, "F3") : "n/a";
            Console.WriteLine($"Done after {report.Steps} steps in {report.WallTime.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)} s ({report.StopReason}): " +
                $"train loss {F(report.FinalTrainLoss)}, best validation loss {F(report.BestValidationLoss)} nats ({F(report.BestBitsPerToken)} bits/{session.Tokenizer.Kind}) " +
                $"at step {report.BestStep?.ToString(CultureInfo.InvariantCulture) ?? "n/a"}; {report.TokensPerSecond.ToString("N0", CultureInfo.InvariantCulture)} tokens/s");
            if (report.CheckpointPath is { } p) Console.WriteLine($"Best model saved to {p}" + (report.StopReason == StopReason.Cancelled ? $"; continue with --resume {p}" : ""));
        }
        after?.Invoke(session, report);
        return report.StopReason == StopReason.Cancelled ? 130 : 0;
    }
}
