// Finite-difference gradient checks: the analytic gradient of a random projection of an op's output
// against central differences, with the perturbed outputs summed in float64.
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests;

/// <summary>Compares autograd gradients with numerical ones.</summary>
public static class GradCheck
{
    /// <summary>
    /// Checks d(sum(w * f(inputs)))/d(input) for every input against central differences of step
    /// <paramref name="eps"/>; w is a fixed random weighting so that every output element matters differently.
    /// </summary>
    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, float eps = 1e-2f, double tolerance = 2e-2, ulong seed = 7)
    {
        foreach (var t in inputs) { t.RequiresGrad = true; t.Grad = null; }
        var y = f(inputs);
        var w = Tensor.Uniform(new Generator(seed), -1f, 1f, y.ShapeArray);
        Ops.Sum(Ops.Mul(y, w)).Backward();
        for (int k = 0; k < inputs.Length; k++)
        {
            var x = inputs[k];
            Assert.NotNull(x.Grad);
            for (int i = 0; i < x.Numel; i++)
            {
                float orig = x.Data[i];
                x.Data[i] = orig + eps; double plus = Weighted(f(inputs), w);
                x.Data[i] = orig - eps; double minus = Weighted(f(inputs), w);
                x.Data[i] = orig;
                double numeric = (plus - minus) / (2 * eps);
                double analytic = x.Grad!.Data[i];
                double err = Math.Abs(numeric - analytic) / Math.Max(1.0, Math.Abs(numeric));
                Assert.True(err < tolerance, $"input {k} element {i}: analytic {analytic:G6} vs numeric {numeric:G6}");
            }
        }
    }

    private static double Weighted(Tensor y, Tensor w)
    {
        double s = 0;
        for (int i = 0; i < y.Numel; i++) s += (double)y.Data[i] * w.Data[i];
        return s;
    }

    /// <summary>Asserts two arrays agree to a relative tolerance, with an absolute floor for values near zero.</summary>
    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double rel = 1e-5, double abs = 1e-6, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            Assert.True(Math.Abs(e - a) <= abs + rel * Math.Abs(e), $"{what}[{i}]: expected {e:G9}, got {a:G9}");
        }
    }
}
