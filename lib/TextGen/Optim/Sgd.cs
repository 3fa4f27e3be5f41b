// Sgd: stochastic gradient descent with optional momentum, dampening, Nesterov and L2 weight decay,
// following torch.optim.SGD (PyTorch 1.13) operation for operation, fused into one pass per parameter.
using System.Numerics;
using TextGen.Tensors;

namespace TextGen.Optim;

/// <summary>Stochastic gradient descent with momentum, as <c>torch.optim.SGD</c>.</summary>
/// <remarks>
/// With gradient g, parameter p and buffer b (per element):
/// <code>
/// d = g + weightDecay * p
/// b = d                                  (first update of this parameter)
/// b = momentum * b + (1 - dampening) * d (later updates)
/// d = nesterov ? d + momentum * b : b    (when momentum != 0)
/// p = p - lr * d
/// </code>
/// The momentum buffer is saved as <c>momentum_buffer.i</c>.
/// </remarks>
public sealed class Sgd : Optimizer
{
    private readonly double momentum, dampening, weightDecay;
    private readonly bool nesterov;

    /// <summary>Creates the optimizer; see the class remarks for the update rule.</summary>
    /// <param name="parameters">The tensors to update.</param>
    /// <param name="lr">Learning rate, &gt;= 0.</param>
    /// <param name="momentum">Momentum factor, &gt;= 0 (0 turns momentum off).</param>
    /// <param name="dampening">Dampening of the momentum's new gradient term.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient, &gt;= 0.</param>
    /// <param name="nesterov">Use Nesterov momentum (needs momentum &gt; 0 and dampening 0).</param>
    public Sgd(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(parameters, lr, ("momentum_buffer", false))
    {
        if (!(momentum >= 0) || double.IsInfinity(momentum))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, $"SGD: invalid momentum {momentum}; it must be a finite number >= 0");
        if (!double.IsFinite(dampening))
            throw new ArgumentOutOfRangeException(nameof(dampening), dampening, $"SGD: invalid dampening {dampening}; it must be finite");
        if (!(weightDecay >= 0) || double.IsInfinity(weightDecay))
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, $"SGD: invalid weight decay {weightDecay}; it must be a finite number >= 0");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException($"SGD: Nesterov momentum requires momentum > 0 and dampening = 0 (got momentum={momentum}, dampening={dampening}); set momentum (e.g. 0.9) or nesterov: false", nameof(nesterov));
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    /// <inheritdoc />
    public override string Kind => "SGD";

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> Hyperparameters => new Dictionary<string, double>
    {
        ["momentum"] = momentum,
        ["dampening"] = dampening,
        ["weight_decay"] = weightDecay,
        ["nesterov"] = nesterov ? 1 : 0,
    };

    private protected override void Update(int index, Span<float> param, ReadOnlySpan<float> grad)
    {
        // Scalars round to float32 as PyTorch rounds Python floats when a float32 kernel runs.
        float lr = (float)LearningRate, wd = (float)weightDecay;
        if (momentum == 0)
        {
            PlainUpdate(param, grad, lr, wd);
            return;
        }
        bool first = TryGetState(0, index) is null;
        var buf = GetOrCreateState(0, index).AsSpan();
        float keep = first ? 0f : (float)momentum;   // a fresh buffer is a copy of d: 0 * 0 + 1 * d
        float take = first ? 1f : (float)(1 - dampening);
        float look = nesterov ? (float)momentum : 0f;
        MomentumUpdate(param, grad, buf, lr, wd, keep, take, look, nesterov);
    }

    private static void PlainUpdate(Span<float> p, ReadOnlySpan<float> g, float lr, float wd)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vLr = new Vector<float>(lr); var vWd = new Vector<float>(wd);
            for (; i <= p.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var vp = new Vector<float>(p[i..]);
                var d = new Vector<float>(g[i..]) + vWd * vp;
                (vp - vLr * d).CopyTo(p[i..]);
            }
        }
        for (; i < p.Length; i++)
        {
            float d = g[i] + wd * p[i];
            p[i] -= lr * d;
        }
    }

    private static void MomentumUpdate(Span<float> p, ReadOnlySpan<float> g, Span<float> b, float lr, float wd, float keep, float take, float look, bool nesterov)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vLr = new Vector<float>(lr); var vWd = new Vector<float>(wd);
            var vKeep = new Vector<float>(keep); var vTake = new Vector<float>(take); var vLook = new Vector<float>(look);
            for (; i <= p.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var vp = new Vector<float>(p[i..]);
                var d = new Vector<float>(g[i..]) + vWd * vp;
                var vb = vKeep * new Vector<float>(b[i..]) + vTake * d;
                vb.CopyTo(b[i..]);
                d = nesterov ? d + vLook * vb : vb;
                (vp - vLr * d).CopyTo(p[i..]);
            }
        }
        for (; i < p.Length; i++)
        {
            float d = g[i] + wd * p[i];
            float nb = keep * b[i] + take * d;
            b[i] = nb;
            d = nesterov ? d + look * nb : nb;
            p[i] -= lr * d;
        }
    }
}
