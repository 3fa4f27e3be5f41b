// Every differentiable op against finite differences on small shapes.
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests.Tensors;

public class OpGradientTests
{
    private static Tensor R(ulong seed, params int[] shape) => Tensor.Uniform(new Generator(seed), -1f, 1f, shape);

    [Fact] public void MatMul_gradients_match_finite_differences() => GradCheck.Check(t => Ops.MatMul(t[0], t[1]), [R(1, 3, 4), R(2, 4, 5)]);
    [Fact] public void MatMul_with_transposed_right_operand_matches_finite_differences() => GradCheck.Check(t => Ops.MatMul(t[0], t[1], transposeB: true), [R(1, 2, 3, 4), R(2, 5, 4)]);
    [Fact] public void Add_with_bias_broadcast_matches_finite_differences() => GradCheck.Check(t => Ops.Add(t[0], t[1]), [R(1, 3, 4), R(2, 4)]);
    [Fact] public void Sub_matches_finite_differences() => GradCheck.Check(t => Ops.Sub(t[0], t[1]), [R(1, 3, 4), R(2, 3, 4)]);
    [Fact] public void Mul_matches_finite_differences() => GradCheck.Check(t => Ops.Mul(t[0], t[1]), [R(1, 3, 4), R(2, 3, 4)]);
    [Fact] public void Mul_by_scalar_tensor_matches_finite_differences() => GradCheck.Check(t => Ops.Mul(t[0], t[1]), [R(1, 3, 4), R(2, 1)]);
    [Fact] public void Tanh_matches_finite_differences() => GradCheck.Check(t => Ops.Tanh(t[0]), [R(1, 3, 4)]);
    [Fact] public void Sigmoid_matches_finite_differences() => GradCheck.Check(t => Ops.Sigmoid(t[0]), [R(1, 3, 4)]);
    [Fact] public void Relu_matches_finite_differences() => GradCheck.Check(t => Ops.Relu(t[0]), [R(3, 3, 4)]);
    [Fact] public void Exp_matches_finite_differences() => GradCheck.Check(t => Ops.Exp(t[0]), [R(1, 3, 4)]);
    [Fact] public void Softmax_matches_finite_differences() => GradCheck.Check(t => Ops.Softmax(t[0]), [R(1, 3, 5)]);
    [Fact] public void LogSoftmax_matches_finite_differences() => GradCheck.Check(t => Ops.LogSoftmax(t[0]), [R(1, 3, 5)]);
    [Fact] public void Sum_and_mean_match_finite_differences() => GradCheck.Check(t => Ops.Add(Ops.Sum(t[0]), Ops.Mean(t[0])), [R(1, 3, 4)]);
    [Fact] public void Slice_along_time_matches_finite_differences() => GradCheck.Check(t => Ops.Slice(t[0], 1, 1, 2), [R(1, 2, 4, 3)]);
    [Fact] public void Concat_matches_finite_differences() => GradCheck.Check(t => Ops.Concat([t[0], t[1]], 1), [R(1, 2, 3), R(2, 2, 2)]);
    [Fact] public void Reshape_matches_finite_differences() => GradCheck.Check(t => Ops.Tanh(t[0].Reshape(4, -1)), [R(1, 2, 6)]);
    [Fact] public void Transpose_matches_finite_differences() => GradCheck.Check(t => Ops.Transpose(t[0]), [R(1, 2, 5)]);
    [Fact] public void Scale_and_one_minus_match_finite_differences() => GradCheck.Check(t => Ops.OneMinus(t[0] * 3f), [R(1, 4)]);

    [Fact]
    public void Cross_entropy_matches_finite_differences()
    {
        int[] targets = [0, 3, 2];
        GradCheck.Check(t => Ops.CrossEntropy(t[0], targets), [R(1, 3, 4)], eps: 1e-2f);
    }

    [Fact]
    public void Embedding_gradient_scatter_adds_repeated_ids()
    {
        int[] ids = [1, 3, 1, 0];
        GradCheck.Check(t => Ops.Embedding(t[0], ids, 2, 2), [R(1, 4, 3)]);
    }

    [Fact]
    public void Dropout_gradient_follows_its_mask()
    {
        var x = R(1, 50);
        GradCheck.Check(t => Ops.Dropout(t[0], 0.3f, true, new Generator(5)), [x]);
    }
}
