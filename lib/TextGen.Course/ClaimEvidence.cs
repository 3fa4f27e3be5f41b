// The evidence line of a claim, built from an interpolated string so that every number in it is seen on its way in:
// a NaN, an infinity or a missing (null) number among the holes makes the claim fail, whatever its condition says,
// since `x > threshold` is false for a NaN but `!(x < threshold)` is true. Text given as a plain string is kept as it is.
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace TextGen.Course;

/// <summary>
/// A claim's evidence: the numbers in words, written as an interpolated string (<c>$"{a:F3} against {b:F3}"</c>). Each
/// number placed in a hole is checked; a NaN, ±∞ or null there is listed in <see cref="NonFinite"/> and fails the claim.
/// </summary>
[InterpolatedStringHandler]
public struct ClaimEvidence
{
    private readonly StringBuilder text;
    private List<string>? nonFinite;

    /// <summary>Called by the compiler for an interpolated string of <paramref name="literalLength"/> characters and <paramref name="formattedCount"/> holes.</summary>
    public ClaimEvidence(int literalLength, int formattedCount) => text = new StringBuilder(literalLength + 12 * formattedCount);

    private ClaimEvidence(string plain) => text = new StringBuilder(plain);

    /// <summary>Evidence given as a finished string: kept as it is, its numbers unchecked (write them as holes to have them checked).</summary>
    public static implicit operator ClaimEvidence(string? plain) => new(plain ?? "");

    /// <summary>What is wrong with the numbers in the holes, one entry per hole: "NaN", "+∞", "-∞", "a missing number", or text that shows NaN or ∞.</summary>
    public readonly IReadOnlyList<string> NonFinite => nonFinite ?? (IReadOnlyList<string>)[];

    /// <summary>Appends literal text.</summary>
    public readonly void AppendLiteral(string value) => text.Append(value);

    /// <summary>Appends a hole.</summary>
    public void AppendFormatted<T>(T value) => AppendFormatted(value, 0, null);

    /// <summary>Appends a hole with a format, as in <c>{x:F3}</c>.</summary>
    public void AppendFormatted<T>(T value, string? format) => AppendFormatted(value, 0, format);

    /// <summary>Appends a hole with an alignment, as in <c>{x,8}</c>.</summary>
    public void AppendFormatted<T>(T value, int alignment) => AppendFormatted(value, alignment, null);

    /// <summary>Appends a hole with an alignment and a format, as in <c>{x,8:F3}</c>, and checks its number.</summary>
    public void AppendFormatted<T>(T value, int alignment, string? format)
    {
        if (Problem(value) is { } problem) (nonFinite ??= []).Add(problem);
        string shown = value is IFormattable f ? f.ToString(format, CultureInfo.CurrentCulture) : value?.ToString() ?? "";
        text.Append(alignment >= 0 ? shown.PadLeft(alignment) : shown.PadRight(-alignment));
    }

    /// <inheritdoc />
    public override readonly string ToString() => text?.ToString() ?? "";

    private static string? Problem<T>(T value) => value switch
    {
        double d when !double.IsFinite(d) => Name(d),
        float s when !float.IsFinite(s) => Name(s),
        Half h when !Half.IsFinite(h) => Name((double)h),
        string s when s.Contains("NaN", StringComparison.Ordinal) || s.Contains('∞') => $"text showing a non-finite number (\"{Short(s)}\")",
        null when Nullable.GetUnderlyingType(typeof(T)) is { } u && (u == typeof(double) || u == typeof(float) || u == typeof(Half) || u == typeof(int) || u == typeof(long)) => "a missing number",
        _ => null,
    };

    private static string Name(double d) => double.IsNaN(d) ? "NaN" : d > 0 ? "+∞" : "-∞";

    private static string Short(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
