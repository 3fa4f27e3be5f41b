// What a model predicts at chosen places of a token stream, given the true text before each: its most likely next token
// and the log-probability of the true one. The places where a task's answer is determined are scored alone this way.
using System.Numerics.Tensors;
using TextGen.Nn;
using TextGen.Tensors;

namespace TextGen.Training;

/// <summary>A model's prediction of the token at one position of a stream.</summary>
/// <param name="Position">Index of the predicted token in the stream.</param>
/// <param name="Target">The true token there.</param>
/// <param name="Predicted">The model's most likely token (the lowest id among equal largest logits).</param>
/// <param name="LogProbability">ln p(target | the tokens before it), from a softmax over all logits.</param>
public readonly record struct PositionPrediction(int Position, int Target, int Predicted, double LogProbability)
{
    /// <summary>Whether the most likely token is the true one.</summary>
    public bool Correct => Predicted == Target;
}

/// <summary>Scores a model's next-token predictions at chosen positions of a stream, reading the stream in order.</summary>
public static class PositionEvaluator
{
    /// <summary>
    /// Feeds <paramref name="ids"/> to <paramref name="model"/> from a fresh state, in order, and at each of
    /// <paramref name="positions"/> (increasing, each at least 1: the prediction needs a token before it) records the
    /// prediction of the token there from all the tokens before it. Only the tokens up to the last position are read.
    /// </summary>
    public static IReadOnlyList<PositionPrediction> Evaluate(IStepModel model, ReadOnlySpan<int> ids, IReadOnlyList<int> positions)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(positions);
        for (int k = 0; k < positions.Count; k++)
        {
            int p = positions[k];
            if (p < 1 || p >= ids.Length)
                throw new ArgumentOutOfRangeException(nameof(positions), $"position {p} is outside 1..{ids.Length - 1}: a prediction needs at least one token before it and a token to predict");
            if (k > 0 && p <= positions[k - 1])
                throw new ArgumentException($"positions must increase: {p} follows {positions[k - 1]}", nameof(positions));
        }
        var state = model.CreateState();
        var logits = new float[model.VocabularySize];
        var logProbabilities = new float[model.VocabularySize];
        var result = new PositionPrediction[positions.Count];
        int fed = 0;
        for (int k = 0; k < positions.Count; k++)
        {
            int p = positions[k];
            model.Feed(state, ids[fed..p], logits);     // the state has now read tokens 0..p-1
            fed = p;
            int target = ids[p];
            if ((uint)target >= (uint)logits.Length)
                throw new ArgumentException($"token {target} at position {p} is outside the model's vocabulary of {logits.Length}");
            Ops.LogSoftmaxRow(logits, logProbabilities);
            result[k] = new PositionPrediction(p, target, TensorPrimitives.IndexOfMax(logits), logProbabilities[target]);
        }
        return result;
    }
}
