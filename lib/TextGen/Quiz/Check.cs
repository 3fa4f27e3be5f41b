// Checks of what the learner computed: a tensor's shape, a value within a tolerance, an initial
// loss near ln(vocabulary size). Each returns a QuizResult that explains a miss.
using TextGen.Tensors;

namespace TextGen.Quiz;

/// <summary>Checks for exercise cells.</summary>
public static class Check
{
    /// <summary>Passes when <paramref name="tensor"/> has exactly <paramref name="expected"/> as its shape.</summary>
    public static QuizResult Shape(string id, Tensor? tensor, params int[] expected)
    {
        string want = ShapeUtil.Format(expected);
        if (tensor is null)
            return new QuizResult(id, QuizStatus.Unanswered, $"shape {want}", "", [], ["Compute the tensor in the cell and run it again."]);
        if (tensor.Shape.SequenceEqual(expected)) return new QuizResult(id, QuizStatus.Correct, $"shape {want}", "", [], [$"{tensor.ShapeString} as expected."]);
        string why = tensor.Rank != expected.Length
            ? $"it has {tensor.Rank} dims instead of {expected.Length}: is a batch or feature dimension missing or extra?"
            : "the sizes differ: check which dimension is batch, time and features.";
        return new QuizResult(id, QuizStatus.Wrong, $"shape {want}", "", [], [$"Got {tensor.ShapeString}; {why}"]);
    }

    /// <summary>Passes when <paramref name="value"/> is within <paramref name="tolerance"/> of <paramref name="expected"/>.</summary>
    public static QuizResult Close(string id, double? value, double expected, double tolerance, string what)
    {
        if (value is null) return new QuizResult(id, QuizStatus.Unanswered, what, "", [], [$"Set your value for {what} and run the cell again."]);
        double gap = Math.Abs(value.Value - expected);
        return gap <= tolerance
            ? new QuizResult(id, QuizStatus.Correct, what, "", [], [$"{value:G6} is within {tolerance:G3} of {expected:G6}."])
            : new QuizResult(id, QuizStatus.Wrong, what, "", [], [$"{value:G6} is {gap:G3} away from the expected value (tolerance {tolerance:G3})."]);
    }

    /// <summary>Passes when an untrained model's loss is within <paramref name="tolerance"/> of ln(vocabulary size): every token equally likely.</summary>
    public static QuizResult InitialLoss(string id, double loss, int vocabularySize, double tolerance = 0.05)
    {
        double lnV = Math.Log(vocabularySize);
        var r = Close(id, loss, lnV, tolerance, $"initial loss ≈ ln {vocabularySize} = {lnV:F3}");
        return r.Status == QuizStatus.Wrong
            ? r with { Feedback = [.. r.Feedback, "An untrained model should spread its probability evenly; a loss far from ln V means the outputs are not near zero (check the initialisation) or the loss is not averaged per token."] }
            : r;
    }

    /// <summary>Passes when <paramref name="condition"/> holds; <paramref name="hint"/> explains a failure.</summary>
    public static QuizResult True(string id, bool condition, string what, string hint) =>
        condition ? new QuizResult(id, QuizStatus.Correct, what, "", [], ["Yes."]) : new QuizResult(id, QuizStatus.Wrong, what, "", [], [hint]);
}
