// Module: a named tree of parameters and submodules, in PyTorch's naming ("rnn.weight_ih_l0"),
// with train/eval mode and state dictionaries.
using TextGen.Tensors;

namespace TextGen.Nn;

/// <summary>Base class of layers and models: registered parameters and submodules, modes and state dicts.</summary>
public abstract class Module
{
    private readonly List<(string Name, Tensor Tensor)> parameters = [];
    private readonly List<(string Name, Module Module)> modules = [];

    /// <summary>True in training mode (dropout active), false after <see cref="Eval"/>.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Registers a parameter under <paramref name="name"/>; it requires a gradient.</summary>
    protected Tensor RegisterParameter(string name, Tensor tensor)
    {
        if (parameters.Any(p => p.Name == name)) throw new ArgumentException($"parameter '{name}' is already registered");
        tensor.RequiresGrad = true;
        parameters.Add((name, tensor));
        return tensor;
    }

    /// <summary>Registers a submodule whose parameters appear as <c>name.param</c>.</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        if (modules.Any(m => m.Name == name)) throw new ArgumentException($"module '{name}' is already registered");
        modules.Add((name, module));
        return module;
    }

    /// <summary>All parameters with their dotted names, in registration order (as <c>named_parameters()</c>).</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters()
    {
        foreach (var p in parameters) yield return p;
        foreach (var (prefix, m) in modules)
            foreach (var (n, t) in m.NamedParameters()) yield return ($"{prefix}.{n}", t);
    }

    /// <summary>All parameters, in registration order.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Parameter);

    /// <summary>Number of trainable scalars.</summary>
    public long ParameterCount => Parameters().Sum(p => (long)p.Numel);

    /// <summary>Sets training mode on this module and all submodules.</summary>
    public Module Train(bool on = true)
    {
        Training = on;
        foreach (var (_, m) in modules) m.Train(on);
        return this;
    }

    /// <summary>Sets evaluation mode (dropout off).</summary>
    public Module Eval() => Train(false);

    /// <summary>Clears the gradients of all parameters.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.Grad = null;
    }

    /// <summary>Parameters by name (the tensors themselves, not copies), like <c>state_dict()</c>.</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict() => NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);

    /// <summary>Copies values into the parameters by name; every name must match with the same shape.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        var mine = StateDict();
        var missing = mine.Keys.Where(k => !state.ContainsKey(k)).ToList();
        var unexpected = state.Keys.Where(k => !mine.ContainsKey(k)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new ArgumentException($"load_state_dict: missing keys [{string.Join(", ", missing)}], unexpected keys [{string.Join(", ", unexpected)}]");
        foreach (var (name, p) in mine)
        {
            var src = state[name];
            if (!p.Shape.SequenceEqual(src.Shape))
                throw new ArgumentException($"load_state_dict: '{name}' has shape {p.ShapeString} in the model but {src.ShapeString} in the state");
            src.Data.AsSpan().CopyTo(p.Data);
        }
    }
}

/// <summary>A module with a typed forward pass, like TorchSharp's <c>Module&lt;TIn, TOut&gt;</c>.</summary>
public abstract class Module<TIn, TOut> : Module
{
    /// <summary>Computes the output.</summary>
    public abstract TOut Forward(TIn input);
}
