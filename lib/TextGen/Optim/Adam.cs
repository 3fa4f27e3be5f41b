// Adam: adaptive moment estimation (PyTorch 1.13, amsgrad off), with weight decay either added to the gradient
// as torch.optim.Adam or decoupled as torch.optim.AdamW. The fused update lives in AdamKernel.
using TextGen.Tensors;

namespace TextGen.Optim;

/// <summary>The Adam optimizer, as <c>torch.optim.Adam</c>, or as <c>torch.optim.AdamW</c> when weight decay is decoupled.</summary>
/// <remarks>
/// Per element, with the parameter's own step count t (starting at 1):
/// <code>
/// p = p * (1 - lr * weightDecay)        (decoupled: AdamW, Loshchilov and Hutter)
/// g = g + weightDecay * p               (not decoupled: an L2 term that passes through the moments)
/// m = beta1 * m + (1 - beta1) * g;   v = beta2 * v + (1 - beta2) * g * g
/// p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
/// </code>
/// Saved buffers: <c>exp_avg.i</c>, <c>exp_avg_sq.i</c>, <c>step.i</c>. <see cref="Kind"/> is <c>"AdamW"</c>
/// when decoupled and <c>"Adam"</c> otherwise, so state saved by either loads only into the same rule.
/// </remarks>
public sealed class Adam : Optimizer
{
    private readonly double beta1, beta2, eps, weightDecay;
    private readonly bool decoupled;

    /// <summary>Creates the optimizer; see the class remarks for the update rule.</summary>
    /// <param name="parameters">The tensors to update.</param>
    /// <param name="lr">Learning rate, &gt;= 0.</param>
    /// <param name="beta1">Decay of the first moment, in [0, 1).</param>
    /// <param name="beta2">Decay of the second moment, in [0, 1).</param>
    /// <param name="eps">Added to the denominator for stability, &gt;= 0.</param>
    /// <param name="weightDecay">Weight decay, &gt;= 0 (torch.optim.AdamW's default is 0.01).</param>
    /// <param name="decoupledWeightDecay">True to shrink the parameters directly (AdamW); false to add an L2 term to the gradient (Adam).</param>
    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
        double weightDecay = 0, bool decoupledWeightDecay = false)
        : base(parameters, lr, ("exp_avg", false), ("exp_avg_sq", false), ("step", true))
    {
        // Kind reads this field, so it is set before the checks whose messages name the optimizer (the base
        // constructor's own checks run earlier and say "Adam" either way).
        decoupled = decoupledWeightDecay;
        if (!(beta1 >= 0 && beta1 < 1))
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, $"{Kind}: invalid beta1 {beta1}; it must lie in [0, 1) (the usual value is 0.9)");
        if (!(beta2 >= 0 && beta2 < 1))
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, $"{Kind}: invalid beta2 {beta2}; it must lie in [0, 1) (the usual value is 0.999)");
        if (!(eps >= 0) || double.IsInfinity(eps))
            throw new ArgumentOutOfRangeException(nameof(eps), eps, $"{Kind}: invalid eps {eps}; it must be a finite number >= 0 (the usual value is 1e-8)");
        if (!(weightDecay >= 0) || double.IsInfinity(weightDecay))
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, $"{Kind}: invalid weight decay {weightDecay}; it must be a finite number >= 0");
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    /// <inheritdoc />
    public override string Kind => decoupled ? "AdamW" : "Adam";

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> Hyperparameters =>
        new Dictionary<string, double> { ["beta1"] = beta1, ["beta2"] = beta2, ["eps"] = eps, ["weight_decay"] = weightDecay };

    private protected override void Update(int index, Span<float> param, ReadOnlySpan<float> grad) =>
        AdamKernel.Update(param, grad, GetOrCreateState(0, index), GetOrCreateState(1, index), GetOrCreateState(2, index),
            LearningRate, beta1, beta2, eps, l2: decoupled ? 0 : weightDecay, decoupled: decoupled ? weightDecay : 0);
}
