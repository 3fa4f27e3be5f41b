// Records what a model computes token by token over a text: each layer's hidden state and gate
// activations, for the lesson that looks inside a trained model (heatmaps of units over text).
namespace TextGen.Nn;

/// <summary>Hidden states and gates of every layer at every token of a sequence.</summary>
public sealed class ActivationTrace
{
    private ActivationTrace(int layers)
    {
        Hidden = Enumerable.Range(0, layers).Select(_ => new List<float[]>()).ToArray();
        Gates = Enumerable.Range(0, layers).Select(_ => new List<float[]>()).ToArray();
    }

    /// <summary>Hidden[layer][t] is the layer's hidden state after token t.</summary>
    public IReadOnlyList<float[]>[] Hidden { get; }

    /// <summary>Gates[layer][t] are the gate activations at token t (LSTM i, f, g, o blocks; GRU r, z, n, h_n; empty for an RNN).</summary>
    public IReadOnlyList<float[]>[] Gates { get; }

    /// <summary>Runs <paramref name="ids"/> through <paramref name="model"/> from a zero state, recording every step.</summary>
    public static ActivationTrace Record(CharRnnModel model, ReadOnlySpan<int> ids)
    {
        var trace = new ActivationTrace(model.Config.NumLayers);
        var session = new StepSession(model)
        {
            Observer = (layer, gates, hidden) =>
            {
                ((List<float[]>)trace.Hidden[layer]).Add(hidden.ToArray());
                ((List<float[]>)trace.Gates[layer]).Add(gates.ToArray());
            },
        };
        var state = session.CreateState();
        var logits = new float[model.VocabularySize];
        var one = new int[1];
        foreach (var id in ids)
        {
            one[0] = id;
            session.Feed(state, one, logits);
        }
        return trace;
    }

    /// <summary>One unit's value over the sequence: hidden unit <paramref name="unit"/> of <paramref name="layer"/> at every token.</summary>
    public float[] Unit(int layer, int unit) => Hidden[layer].Select(h => h[unit]).ToArray();
}
