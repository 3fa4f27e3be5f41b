// TorchSharp's own optimizers (Adam, AdamW, SGD) built as TrainerFactory builds TextGen's, and their per-parameter
// state translated to and from TextGen's OptimizerState layout, so a run can move between engines mid-training.
using OptimizerKind = TextGen.Optim.OptimizerKind;
using OptimizerState = TextGen.Optim.OptimizerState;
using TextGen.Training;
using TorchSharp;
using TorchSharp.Modules;
using TorchTensor = TorchSharp.torch.Tensor;

namespace TextGen.TorchSharp;

/// <summary>Builds a TorchSharp optimizer from <see cref="TrainOptions"/> and exchanges its state in TextGen's <see cref="OptimizerState"/> layout.</summary>
/// <remarks>
/// Buffers are keyed by the parameter's index in <c>named_parameters()</c> order, which is the order of TextGen's model, so
/// <c>exp_avg.3</c> means the same tensor on both sides. A parameter that has not been updated has no buffers, as in TextGen.
/// </remarks>
internal static class TorchOptimizers
{
    /// <summary>
    /// The optimizer the options name, with every hyperparameter TextGen's own optimizer has (TrainerFactory.OptimizerSignature):
    /// torch.optim.Adam's factory in TorchSharp defaults beta2 to 0.99, so nothing is left to TorchSharp's defaults.
    /// </summary>
    public static OptimizerHelper Create(TrainOptions o, IReadOnlyList<Parameter> parameters)
    {
        var h = TrainerFactory.OptimizerSignature(o).Hyperparameters;
        return o.Optimizer switch
        {
            OptimizerKind.Sgd => new SGD(parameters, o.LearningRate, h["momentum"], h["dampening"], h["weight_decay"], nesterov: h["nesterov"] != 0, maximize: false),
            OptimizerKind.AdamW => new AdamW(parameters, o.LearningRate, h["beta1"], h["beta2"], h["eps"], h["weight_decay"], amsgrad: false, maximize: false),
            OptimizerKind.Adam => new Adam(parameters, o.LearningRate, h["beta1"], h["beta2"], h["eps"], h["weight_decay"], amsgrad: false, maximize: false),
        };
    }

    /// <summary>Takes the optimizer's state tensors out of any dispose scope the caller has open, so they live as long as the optimizer.</summary>
    public static void KeepState(OptimizerHelper optimizer)
    {
        foreach (var s in optimizer.state_dict().State)
            switch (s)
            {
                case Adam.State a: a.exp_avg.DetachFromDisposeScope(); a.exp_avg_sq.DetachFromDisposeScope(); break;
                case AdamW.State w: w.exp_avg.DetachFromDisposeScope(); w.exp_avg_sq.DetachFromDisposeScope(); break;
                case SGD.State g: g.momentum_buffer?.DetachFromDisposeScope(); break;
            }
    }

    /// <summary>Per-parameter buffers in TextGen's layout: exp_avg.i, exp_avg_sq.i, step.i (Adam, AdamW) or momentum_buffer.i (SGD).</summary>
    public static Dictionary<string, float[]> ExportBuffers(OptimizerHelper optimizer)
    {
        var buffers = new Dictionary<string, float[]>();
        var states = optimizer.state_dict().State;
        for (int i = 0; i < states.Count; i++)
            switch (states[i])
            {
                case Adam.State a when a.step > 0: AddAdam(buffers, i, a.exp_avg, a.exp_avg_sq, a.step); break;
                case AdamW.State w when w.step > 0: AddAdam(buffers, i, w.exp_avg, w.exp_avg_sq, w.step); break;
                case SGD.State { momentum_buffer: { } m }: buffers[$"momentum_buffer.{i}"] = Values(m); break;
            }
        return buffers;
    }

    /// <summary>Replaces every parameter's state from TextGen-layout buffers; a parameter without buffers starts fresh.</summary>
    public static void ImportBuffers(OptimizerHelper optimizer, IReadOnlyList<Parameter> parameters, IReadOnlyDictionary<string, float[]> buffers, string kind)
    {
        var states = optimizer.state_dict().State;
        string[] slots = kind == "SGD" ? ["momentum_buffer"] : ["exp_avg", "exp_avg_sq", "step"];
        foreach (var (key, values) in buffers)
        {
            int dot = key.LastIndexOf('.');
            if (dot < 0 || !slots.Contains(key[..dot]) || !int.TryParse(key.AsSpan(dot + 1), out int i) || i < 0 || i >= parameters.Count)
                throw new ArgumentException($"{kind} state: unknown buffer '{key}'; {kind} keeps {string.Join(", ", slots.Select(s => s + ".N"))} for N below {parameters.Count}");
            long expected = key[..dot] == "step" ? 1 : parameters[i].numel();
            if (values is null || values.Length != expected)
                throw new ArgumentException($"{kind} state: buffer '{key}' has {values?.Length ?? 0} values but parameter {i} needs {expected}; the state belongs to a different model");
        }
        using var _ = torch.no_grad();
        for (int i = 0; i < states.Count; i++)
        {
            var p = parameters[i];
            switch (states[i])
            {
                case Adam.State a: a.step = LoadAdam(buffers, i, a.exp_avg, a.exp_avg_sq); break;
                case AdamW.State w: w.step = LoadAdam(buffers, i, w.exp_avg, w.exp_avg_sq); break;
                case SGD.State g:
                    g.momentum_buffer?.Dispose();
                    g.momentum_buffer = buffers.TryGetValue($"momentum_buffer.{i}", out var m) ? Tensor(m, p) : null;
                    break;
            }
        }
    }

    private static void AddAdam(Dictionary<string, float[]> buffers, int i, TorchTensor expAvg, TorchTensor expAvgSq, long step)
    {
        buffers[$"exp_avg.{i}"] = Values(expAvg);
        buffers[$"exp_avg_sq.{i}"] = Values(expAvgSq);
        buffers[$"step.{i}"] = [step];
    }

    // Moments are copied into the tensors the optimizer already holds; a parameter absent from the state gets zeros and step 0.
    private static long LoadAdam(IReadOnlyDictionary<string, float[]> buffers, int i, TorchTensor expAvg, TorchTensor expAvgSq)
    {
        if (!buffers.TryGetValue($"step.{i}", out var step))
        {
            expAvg.zero_();
            expAvgSq.zero_();
            return 0;
        }
        if (!buffers.TryGetValue($"exp_avg.{i}", out var m) || !buffers.TryGetValue($"exp_avg_sq.{i}", out var v))
            throw new ArgumentException($"Adam state: parameter {i} has step.{i} but lacks exp_avg.{i} or exp_avg_sq.{i}; the state is corrupt");
        CopyInto(expAvg, m);
        CopyInto(expAvgSq, v);
        return (long)step[0];
    }

    private static void CopyInto(TorchTensor target, float[] values)
    {
        using var source = torch.tensor(values, target.shape);
        target.copy_(source);
    }

    private static TorchTensor Tensor(float[] values, Parameter like)
    {
        return torch.tensor(values, like.shape, device: like.device).DetachFromDisposeScope();
    }

    private static float[] Values(TorchTensor t)
    {
        using var cpu = t.detach().cpu().contiguous();
        return cpu.data<float>().ToArray();
    }
}
