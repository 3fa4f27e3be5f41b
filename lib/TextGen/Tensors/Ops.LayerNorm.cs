// Layer normalisation over the last dim: every row rescaled to mean 0 and variance 1, then an element-wise
// weight and bias. Transformers put one before each sub-layer so the residual stream's scale cannot drift.
using System.Numerics.Tensors;
using TextGen.Tensors.Kernels;

namespace TextGen.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Layer normalisation of <paramref name="input"/> (..., D) over its last dim with an optional element-wise
    /// <paramref name="weight"/> and <paramref name="bias"/> (D), like <c>F.layer_norm(x, (D,), weight, bias, eps)</c>.
    /// </summary>
    /// <remarks>
    /// For each row x of D values: mu = mean(x), var = mean((x - mu)^2) (the biased variance, as PyTorch),
    /// x^ = (x - mu) / sqrt(var + eps), y = x^ * weight + bias. With g = dy * weight, the gradients are
    /// dx = (g - mean(g) - x^ * mean(g * x^)) / sqrt(var + eps), dweight = sum over rows of dy * x^, dbias = sum over rows of dy.
    /// </remarks>
    public static Tensor LayerNorm(Tensor input, Tensor? weight, Tensor? bias, float eps = 1e-5f)
    {
        if (input.Rank < 1) throw new ArgumentException("layer_norm: the input needs at least one dim to normalise over");
        int d = input.Size(-1), rows = input.Numel / Math.Max(1, d);
        foreach (var (p, name) in new[] { (weight, "weight"), (bias, "bias") })
            if (p is not null && (p.Rank != 1 || p.Size(0) != d))
                throw new ArgumentException($"layer_norm: {name} {p.ShapeString} must be ({d}), the size of the input's last dim in {input.ShapeString}");
        if (!(eps > 0)) throw new ArgumentOutOfRangeException(nameof(eps), $"layer_norm: eps {eps} must be positive");
        var xhat = new float[input.Numel];
        var rstd = new float[rows];
        var y = new float[input.Numel];
        bool worthIt = input.Numel >= 1 << 16;
        WorkSplit.InTwo(rows, 1, worthIt, (r0, r1) =>
        {
            for (int r = r0; r < r1; r++)
            {
                var x = input.data.AsSpan(r * d, d);
                var xh = xhat.AsSpan(r * d, d);
                TensorPrimitives.Subtract(x, TensorPrimitives.Sum(x) / d, xh);
                rstd[r] = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(xh) / d + eps);
                TensorPrimitives.Multiply(xh, rstd[r], xh);
                var yr = y.AsSpan(r * d, d);
                if (weight is null) xh.CopyTo(yr);
                else TensorPrimitives.Multiply(xh, weight.data, yr);
                if (bias is not null) TensorPrimitives.Add(yr, bias.data, yr);
            }
        });
        var result = Tensor.Wrap(y, input.ShapeArray);
        var recorded = new List<Tensor>(3) { input };
        if (weight is not null) recorded.Add(weight);
        if (bias is not null) recorded.Add(bias);
        Tensor[] inputs = [.. recorded];
        if (Tensor.NeedsGrad(inputs))
            result.Record("LayerNorm", inputs, g =>
            {
                if (input.RequiresGrad) LayerNormInputGrad(g, xhat, rstd, weight, input.GradBuffer(), d, worthIt);
                if (weight is { RequiresGrad: true })
                {
                    var gw = weight.GradBuffer();
                    for (int r = 0; r < rows; r++) TensorPrimitives.MultiplyAdd(g.AsSpan(r * d, d), xhat.AsSpan(r * d, d), gw, gw);
                }
                if (bias is { RequiresGrad: true }) ReduceToPeriod(g, d, bias.GradBuffer());
            });
        return result;
    }

    /// <summary>Adds dx = (g - mean(g) - x^ mean(g x^)) / sqrt(var + eps), with g = dy * weight, into <paramref name="gradInput"/>, row by row.</summary>
    private static void LayerNormInputGrad(float[] dy, float[] xhat, float[] rstd, Tensor? weight, float[] gradInput, int d, bool worthIt)
    {
        WorkSplit.InTwo(rstd.Length, 1, worthIt, (r0, r1) =>
        {
            var gRow = new float[d];   // one scratch row per thread
            for (int r = r0; r < r1; r++)
            {
                var xh = xhat.AsSpan(r * d, d);
                if (weight is null) dy.AsSpan(r * d, d).CopyTo(gRow);
                else TensorPrimitives.Multiply(dy.AsSpan(r * d, d), weight.data, gRow);
                float meanG = TensorPrimitives.Sum(gRow) / d;
                float meanGx = TensorPrimitives.Dot(gRow, xh) / d;
                var dx = gradInput.AsSpan(r * d, d);
                float s = rstd[r];
                for (int i = 0; i < d; i++) dx[i] += (gRow[i] - meanG - xh[i] * meanGx) * s;
            }
        });
    }
}
