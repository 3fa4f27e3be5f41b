// The one "largest gap" helper every comparison uses: against a float64 reference on finite values, and +∞ (so never
// within any tolerance) with NaN, +∞ or -∞ at every position of either operand, including equal infinities.
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests.Tensors;

public class DifferenceTests
{
    private static readonly float[] NonFinite = [float.NaN, float.PositiveInfinity, float.NegativeInfinity];

    [Fact]
    public void Largest_is_the_largest_absolute_difference_computed_in_float64()
    {
        var g = new Generator(3);
        var a = Tensor.Uniform(g, -5, 5, 4, 7);
        var b = Tensor.Uniform(g, -5, 5, 4, 7);
        double expected = a.Data.Zip(b.Data).Max(p => Math.Abs((double)p.First - p.Second));
        Assert.Equal(expected, Difference.Largest(a, b), 1e-6);
        Assert.Equal(0f, Difference.Largest(a, a.Clone()));
        Assert.Equal(expected, Difference.Largest(Array.ConvertAll(a.Data, x => (double)x), Array.ConvertAll(b.Data, x => (double)x)), 1e-6);
    }

    [Fact]
    public void A_nan_or_infinity_at_any_position_of_either_operand_makes_the_gap_infinite()
    {
        var clean = Tensor.Uniform(new Generator(4), -1, 1, 2, 3);
        for (int k = 0; k < clean.Numel; k++)
            foreach (var v in NonFinite)
            {
                var spoiled = clean.Clone();
                spoiled.Data[k] = v;
                Assert.Equal(float.PositiveInfinity, Difference.Largest(spoiled, clean));
                Assert.Equal(float.PositiveInfinity, Difference.Largest(clean, spoiled));
                Assert.Equal(float.PositiveInfinity, Difference.Largest(spoiled, spoiled));   // equal infinities, the same NaN: still never close
                Assert.False(Difference.Largest(spoiled, clean) <= 1f);
                Assert.Equal(double.PositiveInfinity, Difference.Largest(Array.ConvertAll(spoiled.Data, x => (double)x), Array.ConvertAll(clean.Data, x => (double)x)));
                Assert.Equal(double.PositiveInfinity, Difference.Relative(spoiled.Data, Array.ConvertAll(clean.Data, x => (double)x)));
                Assert.Equal(double.PositiveInfinity, Difference.Relative(clean.Data, Array.ConvertAll(spoiled.Data, x => (double)x)));
            }
    }

    [Fact]
    public void A_nan_followed_by_finite_values_is_not_forgotten_as_the_old_check_loop_forgot_it()
    {
        float[] learner = [float.NaN, 0.2f, 0.3f, 0.4f], expected = [0.1f, 0.2f, 0.3f, 0.4f];
        float old = 0;   // the loop CheckResult.Gap used: the NaN is replaced by the next finite difference
        for (int i = 0; i < learner.Length; i++) { float d = MathF.Abs(learner[i] - expected[i]); if (!(d <= old)) old = d; }
        Assert.True(old <= 1e-5f);
        Assert.Equal(float.PositiveInfinity, Difference.Largest(learner, expected));
    }

    [Fact]
    public void Largest_over_several_arrays_is_the_worst_of_them_and_infinite_on_any_nan()
    {
        float[][] a = [[1f, 2f], [3f]], b = [[1f, 2.5f], [2f]];
        Assert.Equal(1f, Difference.Largest(a, b));
        b[1][0] = float.NaN;
        Assert.Equal(float.PositiveInfinity, Difference.Largest(a, b));
    }

    [Fact]
    public void Relative_error_is_the_norm_of_the_difference_over_the_norm_of_the_reference()
    {
        float[] actual = [3f, 4.5f];
        double[] expected = [3, 4];
        Assert.Equal(0.5 / 5, Difference.Relative(actual, expected), 1e-12);
        Assert.Equal(0.1, Difference.Relative(1.1, 1.0), 1e-12);
        Assert.Equal(double.PositiveInfinity, Difference.Relative(double.NaN, 1.0));
        Assert.Equal(double.PositiveInfinity, Difference.Relative(1.0, double.NegativeInfinity));
    }

    [Fact]
    public void Different_shapes_or_lengths_are_an_error_that_names_them()
    {
        var e = Assert.Throws<ArgumentException>(() => Difference.Largest(Tensor.Zeros(2, 3), Tensor.Zeros(3, 2)));
        Assert.Contains("(2, 3) and (3, 2)", e.Message);
        Assert.Throws<ArgumentException>(() => Difference.Largest([1f, 2f], [1f]));
    }
}
