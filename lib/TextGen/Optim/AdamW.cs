// AdamW: Adam with decoupled weight decay (Loshchilov and Hutter), as torch.optim.AdamW in PyTorch 1.13:
// the parameter shrinks by lr * weightDecay before the Adam step, and the decay never enters the moments.
using TextGen.Tensors;

namespace TextGen.Optim;

/// <summary>The AdamW optimizer, as <c>torch.optim.AdamW</c>: Adam with weight decay applied directly to the parameters.</summary>
/// <remarks>
/// Per element, with the parameter's own step count t (starting at 1):
/// <code>
/// p = p * (1 - lr * weightDecay)
/// m = beta1 * m + (1 - beta1) * g;   v = beta2 * v + (1 - beta2) * g * g
/// p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
/// </code>
/// Saved buffers: <c>exp_avg.i</c>, <c>exp_avg_sq.i</c>, <c>step.i</c>.
/// </remarks>
public sealed class AdamW : Optimizer
{
    private readonly double beta1, beta2, eps, weightDecay;

    /// <summary>Creates the optimizer; see the class remarks for the update rule.</summary>
    /// <param name="parameters">The tensors to update.</param>
    /// <param name="lr">Learning rate, &gt;= 0.</param>
    /// <param name="beta1">Decay of the first moment, in [0, 1).</param>
    /// <param name="beta2">Decay of the second moment, in [0, 1).</param>
    /// <param name="eps">Added to the denominator for stability, &gt;= 0.</param>
    /// <param name="weightDecay">Decoupled decay rate, &gt;= 0 (PyTorch's default 0.01).</param>
    public AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2)
        : base(parameters, lr, ("exp_avg", false), ("exp_avg_sq", false), ("step", true))
    {
        AdamArguments.Validate("AdamW", beta1, beta2, eps, weightDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    /// <inheritdoc />
    public override string Kind => "AdamW";

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> Hyperparameters => AdamArguments.Describe(beta1, beta2, eps, weightDecay);

    private protected override void Update(int index, Span<float> param, ReadOnlySpan<float> grad) =>
        AdamKernel.Update(param, grad, GetOrCreateState(0, index), GetOrCreateState(1, index), GetOrCreateState(2, index),
            LearningRate, beta1, beta2, eps, l2: 0, decoupled: weightDecay);
}
