// What every check answers with (the general Check methods and each lesson's): a result that has no prompt or choices,
// only feedback lines, and the tolerance helpers the checks share. One place, so all check cells read alike. Tensors are
// compared with Difference.Largest, for which a NaN or ±∞ anywhere is infinitely far from everything.
using TextGen.Tensors;

namespace TextGen.Course;

/// <summary>Builds the results of check cells and compares a learner's numbers with the expected ones.</summary>
internal static class CheckResult
{
    /// <summary>The check has no answer yet; <paramref name="how"/> says what to write.</summary>
    public static QuizResult Open(string id, string what, string how) => new(id, QuizStatus.Unanswered, what, "", [], [how]);

    /// <summary>The answer is right; <paramref name="why"/> says what it shows.</summary>
    public static QuizResult Pass(string id, string what, params string[] why) => new(id, QuizStatus.Correct, what, "", [], why);

    /// <summary>The answer is wrong; the feedback says what to look at.</summary>
    public static QuizResult Fail(string id, string what, params string[] feedback) => new(id, QuizStatus.Wrong, what, "", [], feedback);

    /// <summary>A result of the given status.</summary>
    public static QuizResult Of(string id, QuizStatus status, string what, params string[] feedback) => new(id, status, what, "", [], feedback);

    /// <summary>Whether two numbers are within an absolute tolerance.</summary>
    public static bool Near(double a, double b, double tolerance = 0.01) => Math.Abs(a - b) <= tolerance;

    /// <summary>
    /// Where <paramref name="tensor"/> holds its first NaN or ±∞, as "NaN at [1, 2]", or null when every value is finite:
    /// tensor checks fail such a tensor before comparing it (see <see cref="Difference.Largest(Tensor, Tensor)"/>).
    /// </summary>
    public static string? NonFinite(Tensor tensor) => NonFinite(tensor.Data, tensor.Shape.ToArray());

    /// <summary>Like the tensor overload, for the values of an array of the given shape (one dimension when none is given).</summary>
    public static string? NonFinite(ReadOnlySpan<float> values, int[]? shape = null)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (float.IsFinite(values[i])) continue;
            string what = float.IsNaN(values[i]) ? "NaN (not a number)" : values[i] > 0 ? "+∞" : "-∞";
            return $"{what} at [{string.Join(", ", Index(i, shape ?? [values.Length]))}]";
        }
        return null;
    }

    private static int[] Index(int flat, int[] shape)
    {
        var index = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = shape[d] == 0 ? 0 : flat % shape[d];
            flat = shape[d] == 0 ? flat : flat / shape[d];
        }
        return index;
    }
}
