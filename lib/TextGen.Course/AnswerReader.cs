// Reading whatever a learner passes to a quiz or check cell: numbers of any numeric type as a double or a whole
// number, and anything else described in plain words for the one line that says what was expected instead.
using System.Globalization;
using TextGen.Tensors;

namespace TextGen.Course;

/// <summary>Turns a learner's answer of unknown type into a number, or into words for feedback.</summary>
internal static class AnswerReader
{
    /// <summary>The value as a double when it is a number of any numeric type (not text, not a bool).</summary>
    public static bool TryNumber(object value, out double number)
    {
        switch (value)
        {
            case double d: number = d; return true;
            case float f: number = f; return true;
            case decimal m: number = (double)m; return true;
            case int or long or short or byte or sbyte or ushort or uint or ulong or nint or nuint or Half:
                number = Convert.ToDouble(value, CultureInfo.InvariantCulture); return true;
            default: number = double.NaN; return false;
        }
    }

    /// <summary>The value when it is a whole number that fits an int, of any integer type.</summary>
    public static bool TryWholeNumber(object value, out long whole)
    {
        switch (value)
        {
            case int or long or short or byte or sbyte or ushort or uint or nint:
                whole = Convert.ToInt64(value, CultureInfo.InvariantCulture); return true;
            case ulong u when u <= long.MaxValue: whole = (long)u; return true;
            case ulong: whole = long.MaxValue; return true;
            default: whole = 0; return false;
        }
    }

    /// <summary>What the value is, in words a learner recognises: "the text \"2\"", "the number 2.5", "a tensor of shape (2, 3)".</summary>
    public static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"the text \"{(s.Length > 40 ? s[..40] + "…" : s)}\"",
        char c => $"the character '{c}'",
        bool b => b ? "true" : "false",
        Tensor t => $"a tensor of shape {t.ShapeString}",
        Array a => $"an array of {a.Length} {Plural(a.GetType().GetElementType()?.Name ?? "item")}",
        _ when TryNumber(value, out var d) => $"the number {Number(d)}",
        _ => $"a {value.GetType().Name}",
    };

    /// <summary>A number as the feedback shows it: six significant digits, ∞ and NaN spelled out.</summary>
    public static string Number(double value) => double.IsNaN(value) ? "NaN (not a number)"
        : double.IsInfinity(value) ? (value > 0 ? "∞" : "-∞")
        : value.ToString("G6", CultureInfo.InvariantCulture);

    private static string Plural(string name) => name.ToLowerInvariant() switch
    {
        "int32" => "ints", "single" => "floats", "double" => "doubles", "int64" => "longs", var n => n + "s",
    };
}
