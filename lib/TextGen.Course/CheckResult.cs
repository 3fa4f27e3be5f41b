// What every check answers with (the general Check methods and each lesson's): a result that has no prompt or choices,
// only feedback lines, and the tolerance helpers the checks share. One place, so all check cells read alike.
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

    /// <summary>The largest absolute element-wise difference of two tensors of the same shape; NaN counts as the largest.</summary>
    public static float Gap(Tensor a, Tensor b)
    {
        float max = 0;
        var (x, y) = (a.Data, b.Data);
        for (int i = 0; i < x.Length; i++)
        {
            float d = MathF.Abs(x[i] - y[i]);
            if (!(d <= max)) max = d;
        }
        return max;
    }
}
