// The training loop: batches -> forward -> cross-entropy -> backward -> clipping -> optimizer step,
// with periodic validation, best-model checkpoints, early stopping, divergence detection,
// cancellation, and a resume state that continues a run exactly where it stopped.
using System.Diagnostics;
using TextGen.Nn;
using TextGen.Optim;
using TextGen.Tensors;
using TextGen.Text;

namespace TextGen.Training;

/// <summary>Runs the optimisation of a character model on token streams under <see cref="TrainOptions"/>, on any <see cref="ITrainingEngine"/>.</summary>
public sealed class Trainer
{
    private readonly TrainOptions options;
    private readonly ILearningRateSchedule schedule;

    /// <summary>Creates a trainer for a model, its optimizer and the data; <paramref name="validationIds"/> may be empty (no evaluation).</summary>
    public Trainer(TrainOptions options, CharRnnModel model, Optimizer optimizer, TokenBatches batches, int[] validationIds, TokenizerInfo tokenizer)
        : this(options, new TextGenEngine(model, optimizer), batches, validationIds, tokenizer) { }

    /// <summary>Creates a trainer that drives <paramref name="engine"/>; <paramref name="validationIds"/> may be empty (no evaluation).</summary>
    public Trainer(TrainOptions options, ITrainingEngine engine, TokenBatches batches, int[] validationIds, TokenizerInfo tokenizer)
    {
        options.Validate();
        this.options = options;
        Engine = engine;
        Batches = batches;
        ValidationIds = validationIds;
        Tokenizer = tokenizer;
        TotalSteps = EstimateTotalSteps(options, batches);
        schedule = CreateSchedule(options, TotalSteps);
    }

    /// <summary>The learning-rate schedule the options name, over <paramref name="totalSteps"/> (null: a time budget).</summary>
    internal static ILearningRateSchedule CreateSchedule(TrainOptions options, int? totalSteps)
    {
        // With only a time budget the schedule runs over a nominal step count mapped from elapsed time.
        int scheduleSteps = totalSteps ?? NominalSteps;
        return options.Schedule switch
        {
            ScheduleKind.Cosine => new CosineSchedule(options.LearningRate, scheduleSteps, Math.Min(options.WarmupSteps, scheduleSteps / 2), options.LearningRate * 0.1),
            ScheduleKind.Constant => new ConstantSchedule(options.LearningRate),
        };
    }

    /// <summary>Where in the schedule a step is: the step itself, or under a time budget alone the share of the time used.</summary>
    internal static int ScheduleStep(TrainOptions options, int? totalSteps, int step, double seconds) =>
        totalSteps is null && options.Minutes is { } budget
            ? Math.Max(step, (int)(NominalSteps * Math.Min(1, seconds / (budget * 60))))
            : step;

    /// <summary>The engine that holds the model and computes its steps.</summary>
    public ITrainingEngine Engine { get; }

    /// <summary>
    /// A CPU copy of the model as trained so far, whichever engine trains it (<see cref="TrainingEngineExtensions.ExportModel"/>):
    /// to look into, evaluate or generate from. Export again after further training.
    /// </summary>
    public CharRnnModel ExportModel() => Engine.ExportModel();
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

    /// <summary>The step budget the options' steps and epochs give over these batches; null when only time limits the run.</summary>
    internal static int? EstimateTotalSteps(TrainOptions o, TokenBatches b)
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

    /// <summary>
    /// Gives runs that are given no cancellation token one. The notebook extension sets it to the running cell's token, so
    /// that interrupting the kernel stops training after the current step, with the resume state saved; elsewhere it is null.
    /// </summary>
    public static Func<CancellationToken>? DefaultCancellation { get; set; }

    private static readonly List<(CancellationToken Token, TaskCompletionSource Stopped)> RunsInFlight = [];

    /// <summary>
    /// Completes once every run whose cancellation has been requested has stopped: finished its step, saved its resume state and
    /// returned. A kernel ends an interrupted cell at once while its run is still in its step; the notebook extension awaits this
    /// before the next cell, so that cell never sees a run half done.
    /// </summary>
    public static Task WhenCancelledRunsStop()
    {
        lock (RunsInFlight) return Task.WhenAll([.. RunsInFlight.Where(r => r.Token.IsCancellationRequested).Select(r => r.Stopped.Task)]);
    }

    /// <summary>Trains until a budget is used, validation stops improving, or <paramref name="cancellation"/> fires.</summary>
    public TrainingReport Run(IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default) =>
        RunObserved(progress, cancellation, RunSteps);

    /// <summary>
    /// Runs <paramref name="steps"/> as every training run is run: with the default observer and cancellation when none are
    /// given, known to <see cref="WhenCancelledRunsStop"/> while it runs, and its report handed to the observer at the end.
    /// </summary>
    internal static TrainingReport RunObserved(IProgress<TrainingProgress>? progress, CancellationToken cancellation,
        Func<IProgress<TrainingProgress>?, CancellationToken, TrainingReport> steps)
    {
        progress ??= DefaultObserver?.Invoke();
        if (!cancellation.CanBeCanceled && DefaultCancellation is { } fallback) cancellation = fallback();
        var inFlight = (cancellation, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (RunsInFlight) RunsInFlight.Add(inFlight);
        try
        {
            var report = steps(progress, cancellation);
            (progress as ITrainingObserver)?.Completed(report);
            return report;
        }
        finally
        {
            lock (RunsInFlight) RunsInFlight.Remove(inFlight);
            inFlight.Item2.SetResult();
        }
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
        // A resumed run keeps judging against its own start and best, which its history holds.
        var rule = new DivergenceRule(Engine.Config.VocabularySize, c.History.Count > 0 ? c.History[0].TrainLoss : null,
            c.History.Count > 0 ? c.History.Min(h => h.TrainLoss) : null);
        int firstStep = c.Step + 1;
        TrainingBatch? lastBatch = null;
        while (true)
        {
            if (TotalSteps is { } total && c.Step >= total) { stop = StopReason.BudgetReached; break; }
            if (options.Minutes is { } m && priorSeconds + clock.Elapsed.TotalSeconds >= m * 60) { stop = StopReason.TimeUp; break; }
            if (cancellation.IsCancellationRequested) { stop = StopReason.Cancelled; break; }

            double lr = schedule.LearningRateAt(ScheduleStep(options, TotalSteps, c.Step, priorSeconds + clock.Elapsed.TotalSeconds));
            var batch = lastBatch = Batches.Next();
            if (batch.StartsEpoch) Engine.CarriedState = null;
            lastLoss = Engine.ForwardBackward(new StepBatch(batch.Inputs, batch.Targets, Batches.BatchSize, Batches.SeqLen)
            {
                CarryState = Batches.Stateful, Seed = options.Seed, Step = c.Step,
            });
            if (rule.JudgeLoss(lastLoss) is { } badLoss) throw Diverged(progress, c.Step + 1, badLoss, c.Step + 1 == firstStep, lastLoss, float.NaN);
            // The norm is measured every step (clipping only when asked) so runs with and without clipping can be compared.
            double gradNorm = Engine.ClipGradNorm(options.Clip > 0 ? options.Clip : float.PositiveInfinity);
            if (DivergenceRule.JudgeGradient(gradNorm) is { } badGradient) throw Diverged(progress, c.Step + 1, badGradient, c.Step + 1 == firstStep, lastLoss, (float)gradNorm);
            Engine.OptimizerStep(lr);
            c.Step++;
            tokensThisRun += tokensPerStep;
            double seconds = priorSeconds + clock.Elapsed.TotalSeconds;
            double tps = tokensThisRun / Math.Max(1e-9, clock.Elapsed.TotalSeconds);

            float? val = null;
            bool evalNow = c.Step % options.EvalInterval == 0 || (TotalSteps is { } t2 && c.Step == t2);
            if (evalNow && ValidationIds.Length > 1)
            {
                val = (float)Evaluator.LaneLoss(Engine, ValidationIds, 16, Batches.SeqLen, options.EvalTokens).Loss;
                // Judged before it can become the best: these are the weights after this step's update.
                if (rule.JudgeValidation(val.Value) is { } badValidation) throw Diverged(progress, c.Step, badValidation, false, lastLoss, (float)gradNorm);
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
            progress?.Report(MakeProgress(c, lastLoss, val, (float)lr, tps, seconds) with { GradNorm = (float)gradNorm });
            if (options.Patience > 0 && c.EvalsWithoutImprovement >= options.Patience) { stop = StopReason.EarlyStopped; break; }
        }
        c.Seconds = priorSeconds + clock.Elapsed.TotalSeconds;
        if (options.CheckpointPath is { } p)
        {
            // A run without validation still leaves a model to generate from, once its final weights pass the rule.
            bool saveFinal = c.BestValidation is null;
            if (saveFinal) JudgeFinalModel(rule, lastBatch, progress, lastLoss);
            ResumeState.Save(ResumeState.PathFor(p), this);
            if (saveFinal) SaveBest(p);
        }
        float? finalVal = c.History.LastOrDefault(h => h.ValidationLoss is not null)?.ValidationLoss;
        return new TrainingReport(c.History.ToList(), c.Step, lastLoss, finalVal, c.BestValidation, c.BestStep,
            TimeSpan.FromSeconds(c.Seconds), tokensThisRun / Math.Max(1e-9, clock.Elapsed.TotalSeconds), stop, options.CheckpointPath);
    }

    private TrainingProgress MakeProgress(TrainingCursor c, float loss, float? val, float lr, double tps, double seconds) =>
        Progress(options, c.Step, TotalSteps, Batches.Epoch, loss, val, lr, tps, seconds);

    /// <summary>The progress event after step <paramref name="step"/>, with the share of the budget done and the time left.</summary>
    internal static TrainingProgress Progress(TrainOptions options, int step, int? totalSteps, int epoch, float loss, float? val, float lr, double tps, double seconds)
    {
        double? fraction = null;
        if (totalSteps is { } total) fraction = (double)step / total;
        if (options.Minutes is { } m) fraction = Math.Max(fraction ?? 0, seconds / (m * 60));
        TimeSpan? eta = fraction is { } f && f > 0 ? TimeSpan.FromSeconds(seconds * (1 - f) / f) : null;
        return new TrainingProgress(step, totalSteps, epoch, loss, val, lr, tps, TimeSpan.FromSeconds(seconds), eta) { Fraction = fraction };
    }

    private void SaveBest(string path) =>
        ModelCheckpoint.Save(path, Engine, Tokenizer.Kind, Tokenizer.Vocabulary, new Dictionary<string, string>
        {
            ["step"] = Cursor.Step.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["val_loss"] = Cursor.BestValidation?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "",
            ["lowercase"] = Tokenizer.LowerCase ? "true" : "false",
        });

    // No loss has judged the weights since the last update; the validation text judges them, or the last batch again.
    private void JudgeFinalModel(DivergenceRule rule, TrainingBatch? last, IProgress<TrainingProgress>? progress, float lastLoss)
    {
        if (last is null) return; // no step ran: the weights are the ones the run started from
        double loss;
        string what = "validation loss of the final weights";
        if (ValidationIds.Length > 1) loss = Evaluator.LaneLoss(Engine, ValidationIds, 16, Batches.SeqLen, options.EvalTokens).Loss;
        else
        {
            what = "loss of the final weights on the last batch";
            loss = Engine.EvaluateLoss(last.Inputs, last.Targets, Batches.BatchSize, Batches.SeqLen, continueState: false);
        }
        if (rule.JudgeValidation(loss, what) is { } bad) throw Diverged(progress, Cursor.Step, bad, false, lastLoss, float.NaN);
    }

    // The observer hears of it before the caller does, so a recorder keeps the step that broke the rule, not only those before it.
    private TrainingDivergedException Diverged(IProgress<TrainingProgress>? progress, int step, Divergence divergence, bool beforeAnyUpdate, float trainLoss, float gradNorm)
    {
        // Only a model this run (or the one it resumed) judged good counts as kept; an older file at the path is not vouched for.
        string? kept = Cursor.BestStep is not null && options.CheckpointPath is { } p && File.Exists(p) ? p : null;
        var e = new TrainingDivergedException(step, divergence,
            DivergenceRule.Message(step, divergence, options.LearningRate, options.Clip, beforeAnyUpdate, kept, options.CheckpointPath))
            { KeptCheckpoint = kept, TrainingLoss = trainLoss, GradNorm = gradNorm };
        (progress as ITrainingObserver)?.Diverged(e);
        return e;
    }
}

/// <summary>Where a run stands: step, best validation, history. Saved in the resume state with the engine's carried state.</summary>
internal sealed class TrainingCursor
{
    public int Step { get; set; }
    public double Seconds { get; set; }
    public float? BestValidation { get; set; }
    public int? BestStep { get; set; }
    public int EvalsWithoutImprovement { get; set; }
    public List<LossPoint> History { get; } = [];
}

/// <summary>How the training text was tokenized, stored with every checkpoint.</summary>
public sealed record TokenizerInfo(TokenizerKind Kind, IReadOnlyList<string> Vocabulary, bool LowerCase = false);
