// Training a CharTransformerModel with the recurrent models' recipe: the same tokenizer and split, the same batches,
// optimizer, schedule, clipping, validation measure and report, so an LSTM and a transformer compare run for run.
using System.Diagnostics;
using TextGen.Nn;
using TextGen.Optim;
using TextGen.Tensors;
using TextGen.Text;

namespace TextGen.Training;

/// <summary>
/// Trains a <see cref="CharTransformerModel"/> on TextGen's CPU engine under the run settings of <see cref="TrainOptions"/>
/// (batches, optimizer, schedule, clipping, budget, validation); the model's sizes come from its config instead.
/// </summary>
public sealed class TransformerTrainer
{
    private readonly ILearningRateSchedule schedule;
    private readonly List<LossPoint> history = [];
    private double seconds;
    private float? bestValidation;
    private int? bestStep;
    private int evalsWithoutImprovement;

    /// <summary>
    /// Tokenizes and splits <paramref name="corpus"/> as <see cref="TrainingSession.Start(TrainOptions, Corpus)"/> does (or with
    /// <paramref name="tokenizer"/>), and builds a model of <paramref name="config"/> seeded by the options.
    /// </summary>
    public static TransformerTrainer Start(CharTransformerConfig config, TrainOptions options, Corpus corpus, ITokenizer? tokenizer = null)
    {
        options.Validate();
        tokenizer ??= TrainingSession.TokenizerFor(options, corpus);
        if (config.VocabularySize != tokenizer.VocabularySize)
            throw new ArgumentException($"the transformer predicts {config.VocabularySize} tokens but the tokenizer has {tokenizer.VocabularySize}: build the config with VocabularySize = tokenizer.VocabularySize");
        var (train, validation) = TrainingSession.Encode(tokenizer, corpus, options.TrainFraction, UnknownTokenPolicy.Error);
        return new TransformerTrainer(new CharTransformerModel(config, options.Seed), options, train, validation) { Tokenizer = tokenizer };
    }

    /// <summary>Trains <paramref name="model"/> in place on token streams; <paramref name="validationIds"/> may be empty (no evaluation).</summary>
    public TransformerTrainer(CharTransformerModel model, TrainOptions options, int[] trainIds, int[] validationIds)
    {
        options.Validate();
        static void Refuse(bool bad, string message) { if (bad) throw new ArgumentException(message); }
        Refuse(options.SeqLen > model.Config.BlockSize, $"sequence length {options.SeqLen} is longer than the transformer's block size {model.Config.BlockSize}: set SeqLen <= BlockSize");
        Refuse(options.Dropout != 0, $"dropout {options.Dropout}: the transformer has no dropout layers; set Dropout = 0");
        Refuse(options.Engine != EngineKind.TextGen || options.Device != Device.Cpu, "the transformer trains on TextGen's CPU engine only: leave Engine and Device at their defaults");
        Refuse(options.CheckpointPath is not null, "checkpoints are written for recurrent models only: leave CheckpointPath null");
        Model = model;
        Options = options;
        TrainIds = trainIds;
        ValidationIds = validationIds;
        Optimizer = TrainerFactory.CreateOptimizer(options, model.Parameters());
        Batches = new TokenBatches(trainIds, options.BatchSize, options.SeqLen, options.Stateful, options.Seed);
        TotalSteps = Trainer.EstimateTotalSteps(options, Batches);
        schedule = Trainer.CreateSchedule(options, TotalSteps);
    }

    /// <summary>The model, trained in place.</summary>
    public CharTransformerModel Model { get; }
    /// <summary>The optimizer over the model's parameters.</summary>
    public Optimizer Optimizer { get; }
    /// <summary>The run's settings.</summary>
    public TrainOptions Options { get; }
    /// <summary>The training batches: the same ones a recurrent run with these options reads.</summary>
    public TokenBatches Batches { get; }
    /// <summary>Training token ids.</summary>
    public int[] TrainIds { get; }
    /// <summary>Validation token ids.</summary>
    public int[] ValidationIds { get; }
    /// <summary>The tokenizer the corpus was read with (null when the trainer was built from ids).</summary>
    public ITokenizer? Tokenizer { get; private init; }
    /// <summary>Step budget when known from steps or epochs; null when only time limits the run.</summary>
    public int? TotalSteps { get; }
    /// <summary>Optimizer steps done so far (a second <see cref="Run"/> continues).</summary>
    public int StepsDone { get; private set; }

    /// <summary>Trains until a budget is used, validation stops improving, or <paramref name="cancellation"/> fires.</summary>
    public TrainingReport Run(IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default) =>
        Trainer.RunObserved(progress, cancellation, RunSteps);

    private TrainingReport RunSteps(IProgress<TrainingProgress>? progress, CancellationToken cancellation)
    {
        var o = Options;
        var clock = Stopwatch.StartNew();
        double prior = seconds;
        long tokens = 0;
        float loss = history.Count > 0 ? history[^1].TrainLoss : float.NaN;
        var rule = new DivergenceRule(Model.VocabularySize, history.Count > 0 ? history[0].TrainLoss : null);
        var stop = StopReason.BudgetReached;
        while (true)
        {
            if (TotalSteps is { } total && StepsDone >= total) { stop = StopReason.BudgetReached; break; }
            if (o.Minutes is { } m && prior + clock.Elapsed.TotalSeconds >= m * 60) { stop = StopReason.TimeUp; break; }
            if (cancellation.IsCancellationRequested) { stop = StopReason.Cancelled; break; }
            double lr = schedule.LearningRateAt(Trainer.ScheduleStep(o, TotalSteps, StepsDone, prior + clock.Elapsed.TotalSeconds));

            // The step: forward and loss, backward, clipping, update.
            var batch = Batches.Next();
            Model.ZeroGrad();
            var lossTensor = Model.Loss(batch.Inputs, batch.Targets, Batches.BatchSize, Batches.SeqLen);
            loss = lossTensor.Item();
            if (rule.JudgeLoss(loss) is { } badLoss) throw Diverged(StepsDone + 1, badLoss);
            lossTensor.Backward();
            double norm = GradientClipping.ClipGradNorm(Model.Parameters(), o.Clip > 0 ? o.Clip : float.PositiveInfinity);
            if (DivergenceRule.JudgeGradient(norm) is { } badGradient) throw Diverged(StepsDone + 1, badGradient);
            Optimizer.LearningRate = lr;
            Optimizer.Step();
            StepsDone++;
            tokens += Batches.BatchSize * Batches.SeqLen;
            seconds = prior + clock.Elapsed.TotalSeconds;

            float? val = null;
            bool evalNow = StepsDone % o.EvalInterval == 0 || StepsDone == TotalSteps;
            if (evalNow && ValidationIds.Length > 1)
            {
                val = (float)Evaluator.LaneLoss(Model, ValidationIds, 16, o.EvalTokens).Loss;
                if (rule.JudgeValidation(val.Value) is { } badValidation) throw Diverged(StepsDone, badValidation);
                if (bestValidation is null || val < bestValidation) { bestValidation = val; bestStep = StepsDone; evalsWithoutImprovement = 0; }
                else evalsWithoutImprovement++;
            }
            if (evalNow || history.Count == 0 || StepsDone % Math.Max(1, o.EvalInterval / 10) == 0)
                history.Add(new LossPoint(StepsDone, loss, val, seconds) { GradNorm = (float)norm });
            double tps = tokens / Math.Max(1e-9, clock.Elapsed.TotalSeconds);
            progress?.Report(Trainer.Progress(o, StepsDone, TotalSteps, Batches.Epoch, loss, val, (float)lr, tps, seconds) with { GradNorm = (float)norm });
            if (o.Patience > 0 && evalsWithoutImprovement >= o.Patience) { stop = StopReason.EarlyStopped; break; }
        }
        seconds = prior + clock.Elapsed.TotalSeconds;
        float? finalVal = history.LastOrDefault(h => h.ValidationLoss is not null)?.ValidationLoss;
        return new TrainingReport([.. history], StepsDone, loss, finalVal, bestValidation, bestStep,
            TimeSpan.FromSeconds(seconds), tokens / Math.Max(1e-9, clock.Elapsed.TotalSeconds), stop, null);
    }

    private TrainingDivergedException Diverged(int step, Divergence d) =>
        new(step, d, DivergenceRule.Message(step, d, Options.LearningRate, Options.Clip, step == 1, null, null));
}
