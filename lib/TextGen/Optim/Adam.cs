// Adam: adaptive moment estimation with L2 weight decay added to the gradient, as torch.optim.Adam
// (PyTorch 1.13, amsgrad off). The fused update lives in AdamKernel, shared with AdamW.
using TextGen.Tensors;

namespace TextGen.Optim;

/// <summary>The Adam optimizer, as <c>torch.optim.Adam</c>; weight decay is an L2 term added to the gradient.</summary>
/// <remarks>
/// Per element, with the parameter's own step count t (starting at 1):
/// <code>
/// g = g + weightDecay * p
/// m = beta1 * m + (1 - beta1) * g;   v = beta2 * v + (1 - beta2) * g * g
/// p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
/// </code>
/// Saved buffers: <c>exp_avg.i</c>, <c>exp_avg_sq.i</c>, <c>step.i</c>. For decay that does not pass
/// through the moments use <see cref="AdamW"/>.
/// </remarks>
public sealed class Adam : Optimizer
{
    private readonly double beta1, beta2, eps, weightDecay;

    /// <summary>Creates the optimizer; see the class remarks for the update rule.</summary>
    /// <param name="parameters">The tensors to update.</param>
    /// <param name="lr">Learning rate, &gt;= 0.</param>
    /// <param name="beta1">Decay of the first moment, in [0, 1).</param>
    /// <param name="beta2">Decay of the second moment, in [0, 1).</param>
    /// <param name="eps">Added to the denominator for stability, &gt;= 0.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient, &gt;= 0.</param>
    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : base(parameters, lr, ("exp_avg", false), ("exp_avg_sq", false), ("step", true))
    {
        AdamArguments.Validate("Adam", beta1, beta2, eps, weightDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    /// <inheritdoc />
    public override string Kind => "Adam";

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> Hyperparameters => AdamArguments.Describe(beta1, beta2, eps, weightDecay);

    private protected override void Update(int index, Span<float> param, ReadOnlySpan<float> grad) =>
        AdamKernel.Update(param, grad, GetOrCreateState(0, index), GetOrCreateState(1, index), GetOrCreateState(2, index),
            LearningRate, beta1, beta2, eps, l2: weightDecay, decoupled: 0);
}

/// <summary>Argument checks and state description shared by <see cref="Adam"/> and <see cref="AdamW"/>.</summary>
internal static class AdamArguments
{
    /// <summary>Throws with a message naming the bad hyperparameter and its valid range.</summary>
    public static void Validate(string kind, double beta1, double beta2, double eps, double weightDecay)
    {
        if (!(beta1 >= 0 && beta1 < 1))
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, $"{kind}: invalid beta1 {beta1}; it must lie in [0, 1) (the usual value is 0.9)");
        if (!(beta2 >= 0 && beta2 < 1))
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, $"{kind}: invalid beta2 {beta2}; it must lie in [0, 1) (the usual value is 0.999)");
        if (!(eps >= 0) || double.IsInfinity(eps))
            throw new ArgumentOutOfRangeException(nameof(eps), eps, $"{kind}: invalid eps {eps}; it must be a finite number >= 0 (the usual value is 1e-8)");
        if (!(weightDecay >= 0) || double.IsInfinity(weightDecay))
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, $"{kind}: invalid weight decay {weightDecay}; it must be a finite number >= 0");
    }

    /// <summary>The hyperparameters by PyTorch name, for saved state.</summary>
    public static IReadOnlyDictionary<string, double> Describe(double beta1, double beta2, double eps, double weightDecay) =>
        new Dictionary<string, double> { ["beta1"] = beta1, ["beta2"] = beta2, ["eps"] = eps, ["weight_decay"] = weightDecay };
}
