// The training loop: batches -> forward -> cross-entropy -> backward -> clipping -> optimizer step,
// with periodic validation, best-model checkpoints, early stopping, divergence detection,
// cancellation, and a resume state that continues a run exactly where it stopped.
using System.Diagnostics;
using TextGen.Nn;
using TextGen.Optim;
using TextGen.Tensors;

namespace TextGen.Training;

/// <summary>Runs the optimisation of a <see cref="CharRnnModel"/> on token streams under <see cref="TrainOptions"/>.</summary>
public sealed class Trainer
{
    private readonly TrainOptions options;
    private readonly ILearningRateSchedule schedule;

    /// <summary>Creates a trainer for a model, its optimizer and the data; <paramref name="validationIds"/> may be empty (no evaluation).</summary>
    public Trainer(TrainOptions options, CharRnnModel model, Optimizer optimizer, TokenBatches batches, int[] validationIds, TokenizerInfo tokenizer)
    {
        options.Validate();
        this.options = options;
        Model = model;
        Optimizer = optimizer;
        Batches = batches;
        ValidationIds = validationIds;
        Tokenizer = tokenizer;
        TotalSteps = EstimateTotalSteps(options, batches);
        // With only a time budget the schedule runs over a nominal step count mapped from elapsed time.
        int scheduleSteps = TotalSteps ?? NominalSteps;
        schedule = options.Schedule == "cosine"
            ? new CosineSchedule(options.LearningRate, scheduleSteps, Math.Min(options.WarmupSteps, scheduleSteps / 2), options.LearningRate * 0.1)
            : new ConstantSchedule(options.LearningRate);
    }

    /// <summary>The model being trained.</summary>
    public CharRnnModel Model { get; }
    /// <summary>The optimizer.</summary>
    public Optimizer Optimizer { get; }
    /// <summary>The training batches.</summary>
    public TokenBatches Batches { get; }
    /// <summary>Validation token ids.</summary>
    public int[] ValidationIds { get; }
    /// <summary>Tokenizer stored with checkpoints.</summary>
    public TokenizerInfo Tokenizer { get; }
    /// <summary>The run's settings.</summary>
    public TrainOptions Options => options;
    /// <summary>Step budget when known from steps or epochs; null when only time limits the run.</summary>
    public int? TotalSteps { get; }

    /// <summary>Optimizer steps done so far (continues after a resume).</summary>
    public int StepsDone => Cursor.Step;

    /// <summary>Progress state restored by <see cref="ResumeState"/> or carried between calls.</summary>
    internal TrainingCursor Cursor { get; set; } = new();

    private const int NominalSteps = 100_000;

    private static int? EstimateTotalSteps(TrainOptions o, TokenBatches b)
    {
        int? fromEpochs = o.Epochs is { } e ? e * b.StepsPerEpoch : null;
        if (o.Steps is { } s) return fromEpochs is { } f ? Math.Min(s, f) : s;
        return fromEpochs;
    }

    /// <summary>
    /// Follows runs that are given no progress reporter. The notebook extension (TextGen.Interactive) sets it, so that every
    /// training cell shows one line that updates in place; elsewhere it is null and such runs report nothing.
    /// </summary>
    public static Func<ITrainingObserver>? DefaultObserver { get; set; }

    /// <summary>Trains until a budget is used, validation stops improving, or <paramref name="cancellation"/> fires.</summary>
    public TrainingReport Run(IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        progress ??= DefaultObserver?.Invoke();
        var report = RunSteps(progress, cancellation);
        (progress as ITrainingObserver)?.Completed(report);
        return report;
    }

    private TrainingReport RunSteps(IProgress<TrainingProgress>? progress, CancellationToken cancellation)
    {
        var c = Cursor;
        var clock = Stopwatch.StartNew();
        double priorSeconds = c.Seconds;
        long tokensThisRun = 0;
        float lastLoss = c.History.Count > 0 ? c.History[^1].TrainLoss : float.NaN;
        int tokensPerStep = Batches.BatchSize * Batches.SeqLen;
        var stop = StopReason.BudgetReached;
        Model.Train();
        while (true)
        {
            if (TotalSteps is { } total && c.Step >= total) { stop = StopReason.BudgetReached; break; }
            if (options.Minutes is { } m && priorSeconds + clock.Elapsed.TotalSeconds >= m * 60) { stop = StopReason.TimeUp; break; }
            if (cancellation.IsCancellationRequested) { stop = StopReason.Cancelled; break; }

            int scheduleStep = TotalSteps is null && options.Minutes is { } budget
                ? Math.Max(c.Step, (int)(NominalSteps * Math.Min(1, (priorSeconds + clock.Elapsed.TotalSeconds) / (budget * 60))))
                : c.Step;
            float lr = (float)(Optimizer.LearningRate = schedule.LearningRateAt(scheduleStep));
            var batch = Batches.Next();
            if (batch.StartsEpoch) c.CarriedState = null;
            Model.ReseedDropout(options.Seed, c.Step);
            Model.ZeroGrad();
            var (loss, next) = Model.Loss(batch.Inputs, batch.Targets, Batches.BatchSize, Batches.SeqLen, c.CarriedState);
            lastLoss = loss.Item();
            if (!float.IsFinite(lastLoss)) throw Diverged(c.Step + 1, $"the loss is {lastLoss}", lr);
            loss.Backward();
            // The norm is measured every step (clipping only when asked) so runs with and without clipping can be compared.
            double gradNorm = GradientClipping.ClipGradNorm(Model.Parameters(), options.Clip > 0 ? options.Clip : float.PositiveInfinity);
            if (!double.IsFinite(gradNorm)) throw Diverged(c.Step + 1, $"the gradient norm is {gradNorm}", lr);
            Optimizer.Step();
            c.CarriedState = Batches.Stateful ? next.Detach() : null;
            c.Step++;
            tokensThisRun += tokensPerStep;
            double seconds = priorSeconds + clock.Elapsed.TotalSeconds;
            double tps = tokensThisRun / Math.Max(1e-9, clock.Elapsed.TotalSeconds);

            float? val = null;
            bool evalNow = c.Step % options.EvalInterval == 0 || (TotalSteps is { } t2 && c.Step == t2);
            if (evalNow && ValidationIds.Length > 1)
            {
                val = (float)Evaluator.LaneLoss(Model, ValidationIds, 16, Batches.SeqLen, options.EvalTokens).Loss;
                if (c.BestValidation is null || val < c.BestValidation)
                {
                    c.BestValidation = val; c.BestStep = c.Step; c.EvalsWithoutImprovement = 0;
                    if (options.CheckpointPath is { } path) SaveBest(path);
                }
                else c.EvalsWithoutImprovement++;
            }
            if (evalNow || c.History.Count == 0 || c.Step % Math.Max(1, options.EvalInterval / 10) == 0)
                c.History.Add(new LossPoint(c.Step, lastLoss, val, seconds) { GradNorm = (float)gradNorm });
            c.Seconds = seconds;
            if (evalNow && options.CheckpointPath is { } p2) ResumeState.Save(ResumeState.PathFor(p2), this);
            progress?.Report(MakeProgress(c, lastLoss, val, lr, tps, seconds) with { GradNorm = (float)gradNorm });
            if (options.Patience > 0 && c.EvalsWithoutImprovement >= options.Patience) { stop = StopReason.EarlyStopped; break; }
        }
        c.Seconds = priorSeconds + clock.Elapsed.TotalSeconds;
        if (options.CheckpointPath is { } p)
        {
            ResumeState.Save(ResumeState.PathFor(p), this);
            // A run without validation still leaves a model to generate from.
            if (c.BestValidation is null) SaveBest(p);
        }
        float? finalVal = c.History.LastOrDefault(h => h.ValidationLoss is not null)?.ValidationLoss;
        return new TrainingReport(c.History.ToList(), c.Step, lastLoss, finalVal, c.BestValidation, c.BestStep,
            TimeSpan.FromSeconds(c.Seconds), tokensThisRun / Math.Max(1e-9, clock.Elapsed.TotalSeconds), stop, options.CheckpointPath);
    }

    private TrainingProgress MakeProgress(TrainingCursor c, float loss, float? val, float lr, double tps, double seconds)
    {
        double? fraction = null;
        if (TotalSteps is { } total) fraction = (double)c.Step / total;
        if (options.Minutes is { } m) fraction = Math.Max(fraction ?? 0, seconds / (m * 60));
        TimeSpan? eta = fraction is { } f && f > 0 ? TimeSpan.FromSeconds(seconds * (1 - f) / f) : null;
        return new TrainingProgress(c.Step, TotalSteps, Batches.Epoch, loss, val, lr, tps, TimeSpan.FromSeconds(seconds), eta) { Fraction = fraction };
    }

    private void SaveBest(string path) =>
        ModelCheckpoint.Save(path, Model, Tokenizer.Kind, Tokenizer.Vocabulary, new Dictionary<string, string>
        {
            ["step"] = Cursor.Step.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["val_loss"] = Cursor.BestValidation?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "",
            ["lowercase"] = Tokenizer.LowerCase ? "true" : "false",
        });

    private TrainingDivergedException Diverged(int step, string what, float lr) => new(
        $"training diverged at step {step}: {what}. Lower the learning rate (now {lr:G3}, try --lr {lr / 10:G3})" +
        (options.Clip > 0 ? $" or clip harder (now --clip {options.Clip:G3})" : " or turn on gradient clipping (--clip 1)") +
        (options.CheckpointPath is null ? "." : $"; the last good checkpoint '{options.CheckpointPath}' was kept."));
}

/// <summary>Where a run stands: step, carried state, best validation, history. Saved in the resume state.</summary>
internal sealed class TrainingCursor
{
    public int Step { get; set; }
    public double Seconds { get; set; }
    public float? BestValidation { get; set; }
    public int? BestStep { get; set; }
    public int EvalsWithoutImprovement { get; set; }
    public RecurrentState? CarriedState { get; set; }
    public List<LossPoint> History { get; } = [];
}

/// <summary>How the training text was tokenized, stored with every checkpoint.</summary>
public sealed record TokenizerInfo(string Kind, IReadOnlyList<string> Vocabulary, bool LowerCase = false);
