// The ops attention needs (batched products, swapped dims, causal softmax, layer norm, gelu) against finite
// differences, PyTorch fixtures (tests/reference/make_attention_fixtures.py) and their defining properties.
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests.Tensors;

public class AttentionOpTests
{
    private static Tensor R(ulong seed, float scale, params int[] shape) => Tensor.Uniform(new Generator(seed), -scale, scale, shape);

    [Fact] public void BatchMatMul_gradients_match_finite_differences() => GradCheck.Check(t => Ops.BatchMatMul(t[0], t[1]), [R(1, 1, 2, 3, 4), R(2, 1, 2, 4, 5)]);
    [Fact] public void BatchMatMul_with_transposed_right_operand_matches_finite_differences() => GradCheck.Check(t => Ops.BatchMatMul(t[0], t[1], transposeB: true), [R(1, 1, 2, 2, 3, 4), R(2, 1, 2, 2, 5, 4)]);
    [Fact] public void Transpose_of_two_dims_matches_finite_differences() => GradCheck.Check(t => Ops.Transpose(t[0], 1, 3), [R(1, 1, 2, 3, 2, 4)]);
    [Fact] public void CausalSoftmax_matches_finite_differences() => GradCheck.Check(t => Ops.CausalSoftmax(t[0]), [R(1, 2, 2, 5, 5)]);
    [Fact] public void LayerNorm_matches_finite_differences_for_input_weight_and_bias() => GradCheck.Check(t => Ops.LayerNorm(t[0], t[1], t[2]), [R(1, 2, 3, 6), R(2, 1, 6), R(3, 1, 6)], eps: 1e-3f);
    [Fact] public void LayerNorm_without_weight_or_bias_matches_finite_differences() => GradCheck.Check(t => Ops.LayerNorm(t[0], null, null), [R(4, 2, 4, 5)], eps: 1e-3f);
    [Fact] public void Gelu_matches_finite_differences() => GradCheck.Check(t => Ops.Gelu(t[0]), [R(1, 4, 3, 7)], eps: 1e-3f);

    private static IEnumerable<string> OpNames() => Fixtures.Names("attention").Where(n => !n.StartsWith("model_"));

    public static TheoryData<string> OpFixtures() => new(OpNames());

    [Fact]
    public void Fixtures_cover_every_attention_op()
    {
        var names = OpNames().ToList();
        Assert.Equal(["batch_matmul", "batch_matmul_transposed", "causal_softmax", "gelu_tanh", "layer_norm", "transpose_0_3", "transpose_1_2"], names);
    }

    [Theory]
    [MemberData(nameof(OpFixtures))]
    public void Op_matches_pytorch_in_value_and_gradient(string name)
    {
        var f = Fixtures.Load("attention", name);
        var inputs = f.GetProperty("inputs").EnumerateArray().Select(e => e.ReadTensor().RequireGrad()).ToArray();
        Tensor y = name switch
        {
            "batch_matmul" => Ops.BatchMatMul(inputs[0], inputs[1]),
            "batch_matmul_transposed" => Ops.BatchMatMul(inputs[0], inputs[1], transposeB: true),
            "causal_softmax" => Ops.CausalSoftmax(inputs[0]),
            "layer_norm" => Ops.LayerNorm(inputs[0], inputs[1], inputs[2], f.GetProperty("eps").GetSingle()),
            "gelu_tanh" => Ops.Gelu(inputs[0]),
            _ => Ops.Transpose(inputs[0], f.GetProperty("dims")[0].GetInt32(), f.GetProperty("dims")[1].GetInt32()),
        };
        var expected = f.GetProperty("y").ReadTensor();
        Assert.Equal(expected.ShapeArray, y.ShapeArray);
        GradCheck.AssertClose(expected.Data, y.Data, what: $"{name} y");
        Ops.Sum(Ops.Mul(y, f.GetProperty("w").ReadTensor())).Backward();
        var grads = f.GetProperty("grads").EnumerateArray().Select(e => e.ReadTensor()).ToArray();
        for (int i = 0; i < inputs.Length; i++)
            GradCheck.AssertClose(grads[i].Data, inputs[i].Grad!.Data, what: $"{name} grad of input {i}");
    }

    [Fact]
    public void Causal_softmax_gives_zero_after_the_diagonal_and_rows_that_sum_to_one()
    {
        var y = Ops.CausalSoftmax(R(5, 3, 3, 7, 7));
        for (int m = 0; m < 3; m++)
            for (int i = 0; i < 7; i++)
            {
                double sum = 0;
                for (int j = 0; j < 7; j++)
                {
                    float p = y[m, i, j];
                    if (j > i) Assert.Equal(0f, p);
                    else Assert.True(p > 0, $"kept entry ({i}, {j}) is {p}");
                    sum += p;
                }
                Assert.Equal(1.0, sum, 1e-6);
            }
    }

    [Fact]
    public void Causal_softmax_ignores_masked_scores_however_large()
    {
        var x = R(6, 2, 4, 4);
        var before = Ops.CausalSoftmax(x).ToArray();
        x[0, 3] = 1e30f;   // above the diagonal of row 0
        x[2, 3] = float.PositiveInfinity;
        Assert.Equal(before, Ops.CausalSoftmax(x).ToArray());
    }

    [Fact]
    public void Causal_softmax_subtracts_the_row_maximum_so_huge_scores_stay_finite()
    {
        var x = Tensor.FromArray([1e4f, 0, 0, 0, 1e4f + 1, 1e4f, 0, 0, -1e4f, -1e4f, -1e4f, 0, 5e3f, 5e3f, 5e3f, 5e3f], 4, 4);
        var y = Ops.CausalSoftmax(x);
        Assert.All(y.Data, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(1f, y[0, 0]);
        Assert.Equal(1 / (1 + MathF.Exp(-1)), y[1, 0], 1e-6f);
        Assert.Equal(1f / 3, y[2, 0], 1e-6f);
        Assert.Equal(0.25f, y[3, 2], 1e-6f);
    }

    [Fact]
    public void Layer_norm_rows_have_mean_zero_and_variance_one_before_the_affine_part()
    {
        var y = Ops.LayerNorm(R(7, 5, 6, 10), null, null);
        for (int r = 0; r < 6; r++)
        {
            var row = y.Data.AsSpan(r * 10, 10).ToArray();
            double mean = row.Average(), variance = row.Average(v => (v - mean) * (v - mean));
            Assert.Equal(0, mean, 1e-6);
            Assert.Equal(1, variance, 1e-3);   // var / (var + eps) with eps = 1e-5
        }
    }

    [Fact]
    public void Batch_matmul_equals_one_matmul_per_batch_index()
    {
        var a = R(8, 1, 3, 2, 4, 5);
        var b = R(9, 1, 3, 2, 6, 5);
        var c = Ops.BatchMatMul(a, b, transposeB: true);
        Assert.Equal([3, 2, 4, 6], c.ShapeArray);
        for (int i = 0; i < 3; i++)
            for (int h = 0; h < 2; h++)
            {
                var ai = Ops.Select(Ops.Select(a, 0, i), 0, h);
                var bi = Ops.Select(Ops.Select(b, 0, i), 0, h);
                var ci = Ops.Select(Ops.Select(c, 0, i), 0, h);
                GradCheck.AssertClose(Ops.MatMul(ai, bi, transposeB: true).Data, ci.Data, what: $"product ({i}, {h})");
            }
    }

    [Fact]
    public void Transposing_the_same_dims_twice_gives_the_input_back()
    {
        var x = R(10, 1, 2, 3, 4, 5);
        var y = x.Transpose(1, 2);
        Assert.Equal([2, 4, 3, 5], y.ShapeArray);
        Assert.Equal(x[1, 2, 3, 4], y[1, 3, 2, 4]);
        Assert.Equal(x.Data, y.Transpose(-3, -2).Data);
    }

    [Fact]
    public void Bad_shapes_are_refused_with_messages_that_name_them()
    {
        var e1 = Assert.Throws<ArgumentException>(() => Ops.BatchMatMul(R(1, 1, 2, 3, 4), R(2, 1, 3, 4, 5)));
        Assert.Contains("batch dims", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => Ops.BatchMatMul(R(1, 1, 2, 3, 4), R(2, 1, 2, 5, 6)));
        Assert.Contains("inner dimensions 4 and 5", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => Ops.CausalSoftmax(R(1, 1, 2, 3, 4)));
        Assert.Contains("square", e3.Message);
        var e4 = Assert.Throws<ArgumentException>(() => Ops.LayerNorm(R(1, 1, 2, 6), R(2, 1, 5), null));
        Assert.Contains("weight (5) must be (6)", e4.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Transpose(R(1, 1, 2, 3), 0, 2));
    }
}
