// Parameter counts of a model from its shapes, and the hidden size that fits a budget, so that cells (lesson 6)
// and an LSTM against a transformer (lesson 11) are compared at equal size, planned before allocating anything.
namespace TextGen.Nn;

/// <summary>Closed-form parameter counts of <see cref="CharRnnConfig"/> and <see cref="CharTransformerConfig"/> models.</summary>
public static class ParameterBudget
{
    /// <summary>Number of trainable scalars of a model with this configuration.</summary>
    public static long Count(CharRnnConfig c) => c.ParameterCount();

    /// <summary>Number of trainable scalars of a transformer with this configuration.</summary>
    public static long Count(CharTransformerConfig c) => c.ParameterCount();

    /// <summary>The sum of the element counts of <paramref name="shapes"/>.</summary>
    internal static long Total(IEnumerable<(string Name, int[] Shape)> shapes)
    {
        long total = 0;
        foreach (var (_, shape) in shapes)
        {
            long n = 1;
            foreach (var d in shape) n *= d;
            total += n;
        }
        return total;
    }

    /// <summary>The largest hidden size whose model has at most <paramref name="budget"/> parameters.</summary>
    public static int HiddenSizeFor(CharRnnConfig shape, long budget)
    {
        if (Count(shape with { HiddenSize = 1 }) > budget)
            throw new ArgumentOutOfRangeException(nameof(budget), $"a budget of {budget:N0} parameters is too small even for hidden size 1");
        int lo = 1, hi = 1;
        while (Count(shape with { HiddenSize = hi * 2 }) <= budget) hi *= 2;
        hi *= 2;
        while (hi - lo > 1)
        {
            int mid = (lo + hi) / 2;
            if (Count(shape with { HiddenSize = mid }) <= budget) lo = mid; else hi = mid;
        }
        return lo;
    }
}
