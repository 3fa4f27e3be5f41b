// TextGen's own engine behind the trainer's seam: the managed CharRnnModel and a TextGen optimizer, on the CPU.
// It holds the live model, so a notebook can look into the weights while a run trains them.
using TextGen.Nn;
using TextGen.Optim;
using TextGen.Tensors;
using TextGen.Tensors.Kernels;

namespace TextGen.Training;

/// <summary>The default engine: a <see cref="CharRnnModel"/> trained by a TextGen <see cref="Optim.Optimizer"/> on the CPU.</summary>
public sealed class TextGenEngine : ITrainingEngine
{
    private RecurrentState? evalState;

    /// <summary>Wraps a model and the optimizer over its parameters.</summary>
    public TextGenEngine(CharRnnModel model, Optimizer optimizer)
    {
        Model = model;
        Optimizer = optimizer;
    }

    /// <summary>The model, trained in place.</summary>
    public CharRnnModel Model { get; }

    /// <summary>The optimizer over the model's parameters.</summary>
    public Optimizer Optimizer { get; }

    /// <inheritdoc />
    public EngineKind Kind => EngineKind.TextGen;

    /// <inheritdoc />
    public Device Device => Device.Cpu;

    /// <inheritdoc />
    public CharRnnConfig Config => Model.Config;

    /// <inheritdoc />
    public RecurrentState? CarriedState { get; set; }

    /// <inheritdoc />
    public float ForwardBackward(StepBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Model.Train();
        Model.ReseedDropout(batch.Seed, batch.Step);
        Model.ZeroGrad();
        Tensor loss;
        RecurrentState next;
        // The two probes are what `textgen bench --profile` shows as the step's forward and backward totals.
        using (StepProfiler.Time("step: forward (total)"))
            (loss, next) = Model.Loss(batch.Inputs.Span, batch.Targets.Span, batch.Batch, batch.SeqLen, batch.CarryState ? CarriedState : null);
        float value = loss.Item();
        using (StepProfiler.Time("step: backward (total)")) loss.Backward();
        CarriedState = batch.CarryState ? next.Detach() : null;
        return value;
    }

    /// <inheritdoc />
    public double ClipGradNorm(float maxNorm) => GradientClipping.ClipGradNorm(Model.Parameters(), maxNorm);

    /// <inheritdoc />
    public void OptimizerStep(double learningRate)
    {
        Optimizer.LearningRate = learningRate;
        Optimizer.Step();
    }

    /// <inheritdoc />
    public float EvaluateLoss(ReadOnlySpan<int> inputs, ReadOnlySpan<int> targets, int batch, int seqLen, bool continueState)
    {
        bool wasTraining = Model.Training;
        Model.Eval();
        try
        {
            using var _ = Autograd.NoGrad();
            var (loss, next) = Model.Loss(inputs, targets, batch, seqLen, continueState ? evalState : null);
            evalState = next;
            return loss.Item();
        }
        finally
        {
            Model.Train(wasTraining);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<KeyValuePair<string, Tensor>> ExportParameters() =>
        [.. Model.NamedParameters().Select(p => KeyValuePair.Create(p.Name, new Tensor((float[])p.Parameter.Data.Clone(), p.Parameter.ShapeArray)))];

    /// <inheritdoc />
    public void ImportParameters(IReadOnlyDictionary<string, Tensor> parameters) => Model.LoadStateDict(parameters);

    /// <inheritdoc />
    public OptimizerState ExportOptimizerState() => Optimizer.GetState();

    /// <inheritdoc />
    public void ImportOptimizerState(OptimizerState state) => Optimizer.LoadState(state);

    /// <inheritdoc />
    public IStepModel CreateStepModel() => new StepSession(Model);

    /// <summary>Nothing to release: the weights are managed arrays.</summary>
    public void Dispose() { }
}
