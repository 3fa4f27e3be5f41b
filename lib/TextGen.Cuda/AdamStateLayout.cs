// Adam's moments as the GPU keeps them (one step count, moments by parameter name) in TextGen's OptimizerState layout
// (exp_avg.i, exp_avg_sq.i, step.i with i the index in named_parameters() order), both ways, refusing what it cannot hold.
using TextGen.Nn;
using TextGen.Optim;

namespace TextGen.Cuda;

/// <summary>Converts between the CUDA engine's Adam state and <see cref="OptimizerState"/>, so that either side resumes the other's run.</summary>
internal static class AdamStateLayout
{
    /// <summary>The state of <paramref name="kind"/> ("Adam" or "AdamW") after <paramref name="stepCount"/> steps; no buffers before the first, as TextGen's optimizers.</summary>
    public static OptimizerState Write(CharRnnConfig config, string kind, int stepCount, double learningRate, IReadOnlyDictionary<string, double> hyperparameters,
        IReadOnlyDictionary<string, float[]> expAvg, IReadOnlyDictionary<string, float[]> expAvgSq)
    {
        var buffers = new Dictionary<string, float[]>();
        if (stepCount > 0)
        {
            int i = 0;
            foreach (var (name, _) in config.ParameterShapes())
            {
                buffers[$"exp_avg.{i}"] = expAvg[name];
                buffers[$"exp_avg_sq.{i}"] = expAvgSq[name];
                buffers[$"step.{i}"] = [stepCount];
                i++;
            }
        }
        return new OptimizerState(kind, stepCount, learningRate, new Dictionary<string, double>(hyperparameters), buffers);
    }

    /// <summary>
    /// The moments by parameter name and the one step count of <paramref name="state"/>, or null moments when no parameter was updated yet;
    /// throws with the way out for another optimizer or settings, unknown buffers, or parameters updated unequally.
    /// </summary>
    public static (Dictionary<string, float[]>? ExpAvg, Dictionary<string, float[]>? ExpAvgSq, int Step) Read(OptimizerState state, CharRnnConfig config,
        string kind, IReadOnlyDictionary<string, double> hyperparameters)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.EnsureFits(kind, hyperparameters, "the CUDA engine");
        var shapes = config.ParameterShapes().ToArray();
        foreach (var key in state.Buffers.Keys)
        {
            int dot = key.LastIndexOf('.');
            bool known = dot > 0 && key[..dot] is "exp_avg" or "exp_avg_sq" or "step" && int.TryParse(key.AsSpan(dot + 1), out int index) && index >= 0 && index < shapes.Length;
            if (!known) throw new ArgumentException($"unknown optimizer buffer '{key}': {kind} keeps exp_avg.N, exp_avg_sq.N and step.N for N < {shapes.Length}", nameof(state));
        }
        if (state.Buffers.Count == 0) return (null, null, 0);
        var m = new Dictionary<string, float[]>();
        var v = new Dictionary<string, float[]>();
        float? step = null;
        for (int i = 0; i < shapes.Length; i++)
        {
            var (name, shape) = shapes[i];
            if (!state.Buffers.TryGetValue($"exp_avg.{i}", out var mi) || !state.Buffers.TryGetValue($"exp_avg_sq.{i}", out var vi)
                || !state.Buffers.TryGetValue($"step.{i}", out var si) || si.Length != 1)
                throw new ArgumentException($"the optimizer state has no moments or step for parameter {i} ({name}): the CUDA engine updates every parameter together, " +
                    "so it resumes only states where all were updated; resume with --device cpu", nameof(state));
            int numel = shape.Aggregate(1, (a, d) => a * d);
            if (mi.Length != numel || vi.Length != numel)
                throw new ArgumentException($"the moments of parameter {i} ({name}) hold {mi.Length} and {vi.Length} values but its shape [{string.Join(", ", shape)}] needs {numel}: the state belongs to another model", nameof(state));
            if (step is { } first && si[0] != first)
                throw new ArgumentException($"parameter {i} ({name}) was updated {si[0]} times but parameter 0 {first} times: the CUDA engine keeps one step count for all; resume with --device cpu", nameof(state));
            step = si[0];
            m[name] = mi;
            v[name] = vi;
        }
        return (m, v, (int)step!.Value);
    }
}
