// OptimizerState: what an optimizer must save so that training resumes bit for bit, as
// torch.optim.Optimizer.state_dict() does: step count, hyperparameters and per-parameter buffers.
namespace TextGen.Optim;

/// <summary>A snapshot of an optimizer, made by <see cref="Optimizer.GetState"/> and restored by <see cref="Optimizer.LoadState"/>.</summary>
/// <remarks>
/// Buffers are keyed <c>"name.index"</c>, where index is the parameter's position in the optimizer's list
/// (PyTorch's names: <c>momentum_buffer.0</c>, <c>exp_avg.3</c>, <c>exp_avg_sq.3</c>, <c>step.3</c>). A
/// parameter that has not been updated yet has no buffers. Everything here is plain numbers, so a checkpoint
/// writer can store the buffers as float32 tensors and the rest as metadata.
/// </remarks>
/// <param name="Kind">The optimizer that saved it: <c>"SGD"</c>, <c>"Adam"</c> or <c>"AdamW"</c>.</param>
/// <param name="StepCount">How many steps had run (<see cref="Optimizer.StepCount"/>).</param>
/// <param name="LearningRate">The learning rate at the time of saving.</param>
/// <param name="Hyperparameters">The other hyperparameters by PyTorch name, checked on load.</param>
/// <param name="Buffers">Per-parameter state by <c>"name.index"</c>.</param>
public sealed record OptimizerState(
    string Kind,
    int StepCount,
    double LearningRate,
    IReadOnlyDictionary<string, double> Hyperparameters,
    IReadOnlyDictionary<string, float[]> Buffers)
{
    /// <summary>
    /// Throws an <see cref="ArgumentException"/> that names the way out unless this state was saved by a <paramref name="kind"/>
    /// optimizer with <paramref name="hyperparameters"/> and a valid step count: the one check every optimizer and engine makes
    /// before taking a state in. <paramref name="who"/> starts each message, <paramref name="holder"/> names the other side.
    /// </summary>
    public void EnsureFits(string kind, IReadOnlyDictionary<string, double> hyperparameters, string who, string holder = "this run", string paramName = "state")
    {
        if (Kind != kind)
            throw new ArgumentException($"{who}: the state was saved by {Kind}, not {kind}; resume with --optimizer {Kind.ToLowerInvariant()} (a {Kind} optimizer)", paramName);
        if (StepCount < 0)
            throw new ArgumentException($"{who}: step count {StepCount} is negative; the state is corrupt", paramName);
        foreach (var (name, value) in hyperparameters)
        {
            if (!Hyperparameters.TryGetValue(name, out var saved))
                throw new ArgumentException($"{who}: the state lacks hyperparameter '{name}'; it was not saved by this version of {kind}", paramName);
            if (saved != value)
                throw new ArgumentException($"{who}: the state was saved with {name}={saved} but {holder} has {name}={value}; resume with the saved settings", paramName);
        }
    }
}
