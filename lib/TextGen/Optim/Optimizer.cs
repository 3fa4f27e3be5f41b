// Optimizer: the base of Sgd and Adam (with or without decoupled decay), as torch.optim.Optimizer with a single parameter group.
// It walks the parameters, skips those without a gradient, and owns the per-parameter state buffers.
using TextGen.Tensors;

namespace TextGen.Optim;

/// <summary>Updates a fixed list of parameters from their gradients; the base of <see cref="Sgd"/> and <see cref="Adam"/>.</summary>
/// <remarks>
/// Each subclass declares named state slots (for example <c>exp_avg</c>); the base allocates a slot's
/// buffer for a parameter the first time that parameter is updated, so state appears lazily as in PyTorch
/// and nothing is allocated on later steps. A scalar slot (like <c>step</c>) holds one float per parameter.
/// </remarks>
public abstract class Optimizer
{
    private readonly Tensor[] parameters;
    private readonly (string Name, bool Scalar)[] slots;
    private readonly float[]?[][] state; // [slot][parameter]
    private double learningRate;

    /// <summary>Takes the parameters to update and the names of the per-parameter state the subclass keeps.</summary>
    /// <param name="parameters">The tensors to update, in a fixed order (state is keyed by position).</param>
    /// <param name="learningRate">The initial learning rate.</param>
    /// <param name="slots">State slot names; scalar slots hold one float per parameter instead of one per element.</param>
    private protected Optimizer(IEnumerable<Tensor> parameters, double learningRate, params (string Name, bool Scalar)[] slots)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        this.parameters = parameters.ToArray();
        if (this.parameters.Length == 0)
            throw new ArgumentException($"{Kind}: the parameter list is empty; pass the model's parameters (e.g. model.Parameters())", nameof(parameters));
        for (int i = 0; i < this.parameters.Length; i++)
            if (this.parameters[i] is null)
                throw new ArgumentException($"{Kind}: parameter {i} is null; pass only real tensors", nameof(parameters));
        LearningRate = learningRate;
        this.slots = slots;
        state = new float[]?[slots.Length][];
        for (int s = 0; s < slots.Length; s++) state[s] = new float[]?[this.parameters.Length];
    }

    /// <summary>The optimizer's name as written in saved state, e.g. <c>"Adam"</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>The parameters this optimizer updates, in the order given to the constructor.</summary>
    public IReadOnlyList<Tensor> Parameters => parameters;

    /// <summary>The learning rate used by the next <see cref="Step"/>; set it (or call <see cref="ApplySchedule"/>) to follow a schedule.</summary>
    public double LearningRate
    {
        get => learningRate;
        set
        {
            if (!(value >= 0) || double.IsInfinity(value))
                throw new ArgumentOutOfRangeException(nameof(LearningRate), value, $"{Kind}: invalid learning rate {value}; it must be a finite number >= 0");
            learningRate = value;
        }
    }

    /// <summary>How many times <see cref="Step"/> has run (also counted when no parameter had a gradient).</summary>
    public int StepCount { get; private set; }

    /// <summary>The hyperparameters other than the learning rate, by PyTorch name (e.g. <c>beta1</c>, <c>weight_decay</c>).</summary>
    public abstract IReadOnlyDictionary<string, double> Hyperparameters { get; }

    /// <summary>Updates every parameter that has a gradient, then counts the step.</summary>
    public void Step()
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            var g = p.Grad;
            if (g is null) continue;
            if (g.Numel != p.Numel)
                throw new InvalidOperationException($"{Kind}.Step: parameter {i} has shape {p.ShapeString} but its gradient has shape {g.ShapeString}; gradients must match their parameter");
            Update(i, p.Data, g.Data);
        }
        StepCount++;
    }

    /// <summary>Clears every parameter's gradient before the next backward pass.</summary>
    /// <param name="setToNone">True (PyTorch 2's default) drops the gradient tensors; false fills them with zeros and keeps them.</param>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var p in parameters)
        {
            if (setToNone) p.Grad = null;
            else p.Grad?.Span.Clear();
        }
    }

    /// <summary>Sets <see cref="LearningRate"/> to the schedule's value at <see cref="StepCount"/> and returns it; call it just before <see cref="Step"/>.</summary>
    /// <remarks>The first step uses <c>schedule.LearningRateAt(0)</c>, the n-th <c>LearningRateAt(n - 1)</c>.</remarks>
    public double ApplySchedule(ILearningRateSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        LearningRate = schedule.LearningRateAt(StepCount);
        return LearningRate;
    }

    /// <summary>Applies one update to parameter <paramref name="index"/> from its gradient, in place.</summary>
    private protected abstract void Update(int index, Span<float> param, ReadOnlySpan<float> grad);

    /// <summary>The state buffer of a slot for a parameter, or null before that parameter's first update.</summary>
    private protected float[]? TryGetState(int slot, int index) => state[slot][index];

    /// <summary>The state buffer of a slot for a parameter, allocated (zero-filled) on first use.</summary>
    private protected float[] GetOrCreateState(int slot, int index) =>
        state[slot][index] ??= new float[slots[slot].Scalar ? 1 : parameters[index].Numel];

    /// <summary>A deep copy of the step count, learning rate, hyperparameters and state buffers, for checkpoints.</summary>
    public OptimizerState GetState()
    {
        var buffers = new Dictionary<string, float[]>();
        for (int s = 0; s < slots.Length; s++)
            for (int i = 0; i < parameters.Length; i++)
                if (state[s][i] is { } buffer)
                    buffers[$"{slots[s].Name}.{i}"] = (float[])buffer.Clone();
        return new OptimizerState(Kind, StepCount, LearningRate, new Dictionary<string, double>(Hyperparameters), buffers);
    }

    /// <summary>Restores state saved by <see cref="GetState"/> so training resumes exactly where it stopped.</summary>
    /// <remarks>
    /// The step count, learning rate and buffers are replaced (buffers are copied). The other hyperparameters
    /// must equal this optimizer's: construct it with the saved settings. A parameter with no saved buffer
    /// starts fresh, as it had not been updated when the state was saved.
    /// </remarks>
    public void LoadState(OptimizerState saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        saved.EnsureFits(Kind, Hyperparameters, $"{Kind}.LoadState", "this optimizer", nameof(saved));

        var loaded = new float[]?[slots.Length][];
        for (int s = 0; s < slots.Length; s++) loaded[s] = new float[]?[parameters.Length];
        foreach (var (key, values) in saved.Buffers)
        {
            var (s, i) = ParseKey(key);
            int expected = slots[s].Scalar ? 1 : parameters[i].Numel;
            if (values is null || values.Length != expected)
                throw new ArgumentException($"{Kind}.LoadState: buffer '{key}' has {values?.Length ?? 0} values but parameter {i} (shape {parameters[i].ShapeString}) needs {expected}; the state belongs to a different model", nameof(saved));
            loaded[s][i] = (float[])values.Clone();
        }

        for (int s = 0; s < slots.Length; s++) state[s] = loaded[s];
        StepCount = saved.StepCount;
        LearningRate = saved.LearningRate;
    }

    private (int Slot, int Index) ParseKey(string key)
    {
        int dot = key.LastIndexOf('.');
        int slot = dot < 0 ? -1 : Array.FindIndex(slots, x => x.Name == key[..dot]);
        if (slot < 0 || !int.TryParse(key.AsSpan(dot + 1), out int index))
        {
            var names = string.Join(", ", slots.Select(x => x.Name + ".N"));
            throw new ArgumentException($"{Kind}.LoadState: unknown buffer '{key}'; {Kind} keeps {(names.Length == 0 ? "no buffers" : names)}", "saved");
        }
        if (index < 0 || index >= parameters.Length)
            throw new ArgumentException($"{Kind}.LoadState: buffer '{key}' is for parameter {index} but this optimizer has {parameters.Length} parameters; the state belongs to a different model", "saved");
        return (slot, index);
    }
}
