// Checks of what the learner computed: a tensor's shape, a value within a tolerance, an initial loss near
// ln(vocabulary size). Each returns a QuizResult that explains a miss; whatever is passed in, none throws.
using TextGen.Tensors;
using static TextGen.Course.AnswerReader;

namespace TextGen.Course;

/// <summary>Checks for exercise cells.</summary>
public static class Check
{
    /// <summary>Passes when <paramref name="tensor"/> has exactly <paramref name="expected"/> as its shape and holds no NaN or ±∞.</summary>
    public static QuizResult Shape(string id, Tensor? tensor, params int[] expected)
    {
        expected ??= [];
        string want = ShapeUtil.Format(expected), title = $"shape {want}";
        if (tensor is null) return CheckResult.Open(id, title, "Compute the tensor in the cell and run it again.");
        if (tensor.Shape.SequenceEqual(expected))
            return CheckResult.NonFinite(tensor) is { } where
                ? CheckResult.Fail(id, title, $"{tensor.ShapeString} as expected, but it holds {where}: a NaN or ∞ spreads to everything computed from it.")
                : CheckResult.Pass(id, title, $"{tensor.ShapeString} as expected.");
        string why = tensor.Rank != expected.Length
            ? $"it has {tensor.Rank} dims instead of {expected.Length}: is a batch or feature dimension missing or extra?"
            : "the sizes differ: check which dimension is batch, time and features.";
        return CheckResult.Fail(id, title, $"Got {tensor.ShapeString}; {why}");
    }

    /// <summary>Like the tensor overload, for a value of any type: anything but a tensor (or null) is a miss that says a tensor was expected.</summary>
    public static QuizResult Shape(string id, object? value, params int[] expected)
    {
        if (value is null or Tensor) return Shape(id, value as Tensor, expected);
        string want = ShapeUtil.Format(expected ?? []);
        string fix = value is Array ? " (Tensor.FromArray(values, shape) makes one from an array)" : "";
        return CheckResult.Fail(id, $"shape {want}", $"Got {Describe(value)}, not a tensor: expected a Tensor of shape {want}{fix}.");
    }

    /// <summary>Passes when <paramref name="value"/> is within <paramref name="tolerance"/> of <paramref name="expected"/>; NaN and ∞ never pass.</summary>
    public static QuizResult Close(string id, double? value, double expected, double tolerance, string what)
    {
        if (value is null) return CheckResult.Open(id, what, $"Set your value for {what} and run the cell again.");
        double v = value.Value;
        if (double.IsNaN(v))
            return CheckResult.Fail(id, what, $"Your value is NaN (not a number), expected about {Number(expected)}: look for 0/0, the log of 0 or of a negative, or an overflow before it.");
        if (double.IsInfinity(v))
            return CheckResult.Fail(id, what, $"Your value is {Number(v)}, expected about {Number(expected)}: something overflowed (exp of a large number?) or was divided by zero.");
        double gap = Math.Abs(v - expected);
        return gap <= tolerance
            ? CheckResult.Pass(id, what, $"{Number(v)} is within {tolerance:G3} of {Number(expected)}.")
            : CheckResult.Fail(id, what, $"{Number(v)} is {Number(gap)} away from the expected value (tolerance {tolerance:G3}).");
    }

    /// <summary>Like the number overload, for a value of any type: text, a bool or a tensor is a miss that says one number was expected.</summary>
    public static QuizResult Close(string id, object? value, double expected, double tolerance, string what)
    {
        if (value is null) return Close(id, (double?)null, expected, tolerance, what);
        if (TryNumber(value, out var number)) return Close(id, number, expected, tolerance, what);
        string line = value switch
        {
            string s when double.TryParse(s.Trim(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _) =>
                $"\"{s}\" is text: write the number without quotes.",
            Tensor { Numel: 1 } => "Got a tensor with one element: take its value with .Item().",
            _ => $"Got {Describe(value)}: expected one number for {what}.",
        };
        return CheckResult.Fail(id, what, line);
    }

    /// <summary>Passes when an untrained model's loss is within <paramref name="tolerance"/> of ln(vocabulary size): every token equally likely.</summary>
    public static QuizResult InitialLoss(string id, double loss, int vocabularySize, double tolerance = 0.05) => InitialLoss(id, (object)loss, vocabularySize, tolerance);

    /// <summary>Like the number overload, for a value of any type (null: not computed yet).</summary>
    public static QuizResult InitialLoss(string id, object? loss, int vocabularySize, double tolerance = 0.05)
    {
        if (vocabularySize < 2)
            return CheckResult.Fail(id, "initial loss ≈ ln V", $"The vocabulary size is {vocabularySize}: pass the tokenizer's VocabularySize (at least 2 tokens).");
        double lnV = Math.Log(vocabularySize);
        var r = Close(id, loss, lnV, tolerance, $"initial loss ≈ ln {vocabularySize} = {lnV:F3}");
        // The advice is about a real, finite loss that is off; other misses already say what to fix.
        return r.Status == QuizStatus.Wrong && TryNumber(loss!, out var l) && double.IsFinite(l)
            ? r with { Feedback = [.. r.Feedback, "An untrained model should spread its probability evenly; a loss far from ln V means the outputs are not near zero (check the initialisation) or the loss is not averaged per token."] }
            : r;
    }

    /// <summary>Passes when <paramref name="condition"/> holds; <paramref name="hint"/> explains a failure.</summary>
    public static QuizResult True(string id, bool condition, string what, string hint) =>
        condition ? CheckResult.Pass(id, what, "Yes.") : CheckResult.Fail(id, what, hint);

    /// <summary>Like the bool overload, for a value of any type (null: not computed yet).</summary>
    public static QuizResult True(string id, object? condition, string what, string hint) => condition switch
    {
        null => CheckResult.Open(id, what, $"Compute the condition ({what}) and run the cell again."),
        bool b => True(id, b, what, hint),
        _ => CheckResult.Fail(id, what, $"Got {Describe(condition)}: expected true or false, a comparison such as error < 1e-5."),
    };
}
