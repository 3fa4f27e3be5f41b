// Reverse-mode autograd: each op that sees an input requiring a gradient records a node with its
// inputs and a closure that turns the output's gradient into the inputs' gradients.
using TextGen.Tensors.Kernels;

namespace TextGen.Tensors;

/// <summary>A recorded operation: its inputs and how to push the output gradient back to them.</summary>
internal sealed class GradNode(string name, Tensor[] inputs, Action<float[]> backward)
{
    public string Name { get; } = name;
    public Tensor[] Inputs { get; } = inputs;
    public Action<float[]> Backward { get; } = backward;
}

/// <summary>Global switches of the autograd engine.</summary>
public static class Autograd
{
    [ThreadStatic] private static int noGradDepth;

    /// <summary>True while ops record themselves for backpropagation (outside any <see cref="NoGrad"/> scope).</summary>
    public static bool IsEnabled => noGradDepth == 0;

    /// <summary>Turns recording off until the returned scope is disposed, as <c>torch.no_grad()</c>.</summary>
    public static NoGradScope NoGrad()
    {
        noGradDepth++;
        return new NoGradScope();
    }

    /// <summary>Ends a no-grad region when disposed.</summary>
    public readonly struct NoGradScope : IDisposable
    {
        /// <summary>Restores recording.</summary>
        public void Dispose() => noGradDepth--;
    }
}

public sealed partial class Tensor
{
    internal GradNode? Node;

    /// <summary>Whether gradients flow into this tensor; leaves with this set collect <see cref="Grad"/>.</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>The accumulated gradient after <see cref="Backward()"/>, same shape as this tensor.</summary>
    public Tensor? Grad { get; set; }

    /// <summary>True when this tensor was produced by a recorded op (it has a gradient history).</summary>
    public bool IsLeaf => Node is null;

    /// <summary>Name of the op that produced this tensor, or null for a leaf.</summary>
    public string? GradFn => Node?.Name;

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor, for fluent construction.</summary>
    public Tensor RequireGrad(bool value = true)
    {
        RequiresGrad = value;
        return this;
    }

    /// <summary>Sets the gradient to null so the next backward starts from zero.</summary>
    public void ZeroGrad() => Grad = null;

    /// <summary>Whether an op on these inputs must be recorded.</summary>
    internal static bool NeedsGrad(Tensor a) => Autograd.IsEnabled && a.RequiresGrad;

    internal static bool NeedsGrad(Tensor a, Tensor b) => Autograd.IsEnabled && (a.RequiresGrad || b.RequiresGrad);

    internal static bool NeedsGrad(ReadOnlySpan<Tensor> inputs)
    {
        if (!Autograd.IsEnabled) return false;
        foreach (var t in inputs) if (t.RequiresGrad) return true;
        return false;
    }

    /// <summary>Marks this (freshly made) output as produced by a recorded op.</summary>
    internal Tensor Record(string name, Tensor[] inputs, Action<float[]> backward)
    {
        RequiresGrad = true;
        Node = new GradNode(name, inputs, backward);
        return this;
    }

    /// <summary>The gradient buffer of this tensor, created as zeros on first use.</summary>
    internal float[] GradBuffer()
    {
        if (Grad is null)
        {
            // An intermediate tensor's gradient lives only until its node has run (see Backward), so its
            // buffer is borrowed from the pool: a step then reuses warm memory instead of faulting in fresh pages.
            if (Node is not null && data.Length >= PooledGradientMinimum)
            {
                var buffer = BufferPool.Rent(data.Length);
                Array.Clear(buffer);
                Grad = Wrap(buffer, shape);
                gradPooled = true;
            }
            else Grad = Zeros(shape);
        }
        return Grad.data;
    }

    /// <summary>Intermediate gradients at least this long are pooled; small ones cost nothing to allocate.</summary>
    private const int PooledGradientMinimum = 16384;

    private bool gradPooled;

    /// <summary>Adds <paramref name="g"/> into this tensor's gradient when it requires one.</summary>
    internal void AccumulateGrad(ReadOnlySpan<float> g)
    {
        if (!RequiresGrad) return;
        var buf = GradBuffer();
        System.Numerics.Tensors.TensorPrimitives.Add(buf, g, buf);
    }

    /// <summary>Backpropagates from this scalar: fills <see cref="Grad"/> of every tensor that requires one.</summary>
    public void Backward()
    {
        if (data.Length != 1)
            throw new InvalidOperationException($"backward: only a scalar (one element) can start backpropagation, got shape {ShapeString}; reduce it with Sum() or Mean() first");
        Backward(Ones(shape));
    }

    /// <summary>Backpropagates a given output gradient of the same shape as this tensor.</summary>
    public void Backward(Tensor gradient)
    {
        if (!RequiresGrad)
            throw new InvalidOperationException("backward: this tensor does not require a gradient; set RequiresGrad on a parameter or input before the forward pass");
        ShapeUtil.CheckSame("backward", shape, gradient.shape);
        if (Node is null)
        {
            AccumulateGrad(gradient.data);
            return;
        }
        var order = TopologicalOrder(this);
        // Non-leaf tensors hold their gradient only while backpropagation passes through them, like PyTorch.
        Grad = gradient.Clone();
        using var _ = Autograd.NoGrad();
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var t = order[i];
            var g = t.Grad?.data;
            bool pooled = t.gradPooled;
            t.Grad = null;
            t.gradPooled = false;
            if (g is null) continue;
            using (StepProfiler.Time("backward op: " + t.Node!.Name)) t.Node.Backward(g);
            // Ops' backward closures read g and never keep it, so it can serve the next intermediate gradient.
            if (pooled) BufferPool.Return(g);
        }
    }

    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        var order = new List<Tensor>();
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor t, int next)>();
        stack.Push((root, 0));
        seen.Add(root);
        while (stack.Count > 0)
        {
            var (t, next) = stack.Pop();
            var inputs = t.Node?.Inputs ?? [];
            if (next < inputs.Length)
            {
                stack.Push((t, next + 1));
                var child = inputs[next];
                if (child.Node is not null && seen.Add(child)) stack.Push((child, 0));
            }
            else if (t.Node is not null)
            {
                order.Add(t);
            }
        }
        return order;
    }
}
