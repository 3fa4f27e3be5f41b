// Measured figures (losses, bits, perplexities) as text: invariant digits, and ∞, -∞ or NaN for the values that
// overflow a double, so that no output prints "Infinity" and no writer fails on them.
using System.Globalization;

namespace TextGen.Training;

/// <summary>Formats figures for people and names their non-finite values for machine-readable output.</summary>
public static class FigureText
{
    /// <summary>
    /// The value with <paramref name="format"/> (invariant culture), or "∞", "-∞", "NaN". Without a format, numbers from a
    /// million up switch to a short exponent ("9.283e+6") and from 100 up keep one decimal, so an exploding loss stays readable.
    /// </summary>
    public static string Format(double value, string? format = null)
    {
        if (NonFiniteName(value) is not null) return double.IsNaN(value) ? "NaN" : value > 0 ? "∞" : "-∞";
        format ??= Math.Abs(value) >= 1e6 ? "0.###e+0" : Math.Abs(value) >= 100 ? "0.#" : "0.###";
        return value.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>Null for a finite value; otherwise "Infinity", "-Infinity" or "NaN", the names JSON writers use for these values.</summary>
    public static string? NonFiniteName(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "Infinity" : double.IsNegativeInfinity(value) ? "-Infinity" : null;
}
