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
    IReadOnlyDictionary<string, float[]> Buffers);
