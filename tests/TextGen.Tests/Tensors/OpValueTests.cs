// Op values against closed forms, and the error messages for bad shapes and ids.
using TextGen.Tensors;
using Xunit;
using TextGen.Tensors.Kernels;

namespace TextGen.Tests.Tensors;

public class OpValueTests
{
    [Fact]
    public void MatMul_of_small_matrices_equals_hand_computed_product()
    {
        var a = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        var b = Tensor.FromArray([7, 8, 9, 10, 11, 12], 3, 2);
        var c = Ops.MatMul(a, b);
        Assert.Equal([2, 2], c.ShapeArray);
        Assert.Equal([58f, 64f, 139f, 154f], c.Data);
    }

    [Fact]
    public void Sgemm_agrees_with_naive_product_for_every_transpose_combination()
    {
        var g = new Generator(3);
        foreach (var (ta, tb) in new[] { (false, false), (true, false), (false, true), (true, true) })
        {
            int m = 37, n = 70, k = 53;
            var a = new float[m * k]; var b = new float[k * n]; g.FillUniform(a, -1, 1); g.FillUniform(b, -1, 1);
            var c = new float[m * n];
            Blas.Sgemm(ta, tb, m, n, k, a, b, c);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int p = 0; p < k; p++) s += (double)(ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                    Assert.True(Math.Abs(s - c[i * n + j]) < 1e-4, $"({ta},{tb}) at {i},{j}: {s} vs {c[i * n + j]}");
                }
        }
    }

    [Fact]
    public void MatMul_shape_mismatch_names_both_shapes_and_the_dimensions()
    {
        var ex = Assert.Throws<ArgumentException>(() => Ops.MatMul(Tensor.Zeros(32, 20), Tensor.Zeros(64, 50)));
        Assert.Equal("matmul: (32, 20) x (64, 50): inner dimensions 20 and 64 differ", ex.Message);
    }

    [Fact]
    public void Cross_entropy_of_uniform_logits_is_log_of_vocabulary_size()
    {
        var loss = Ops.CrossEntropy(Tensor.Zeros(4, 65), [0, 10, 20, 64]).Item();
        Assert.Equal(Math.Log(65), loss, 5);
    }

    [Fact]
    public void Cross_entropy_and_softmax_stay_finite_for_huge_logits()
    {
        var logits = Tensor.FromArray([1e4f, -1e4f, 0f, 1e4f, -1e4f, 5f], 2, 3).RequireGrad();
        var loss = Ops.CrossEntropy(logits, [1, 0]);
        loss.Backward();
        Assert.True(float.IsFinite(loss.Item()));
        Assert.Equal(1e4f, loss.Item(), 0.5f); // mean of row 0 (2e4: target -1e4 vs max 1e4) and row 1 (0: target is the max)
        Assert.All(logits.Grad!.Data, v => Assert.True(float.IsFinite(v)));
        Assert.All(Ops.Softmax(logits).Data, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Cross_entropy_target_outside_vocabulary_names_id_and_size()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Ops.CrossEntropy(Tensor.Zeros(2, 5), [1, 7]));
        Assert.Contains("target id 7", ex.Message);
        Assert.Contains("vocabulary of size 5", ex.Message);
    }

    [Fact]
    public void One_hot_times_a_matrix_equals_an_embedding_lookup()
    {
        var w = Tensor.Uniform(new Generator(1), -1, 1, 6, 4);
        int[] ids = [5, 0, 2];
        var viaMatmul = Ops.MatMul(Ops.OneHot(ids, 6, 3), w);
        var viaLookup = Ops.Embedding(w, ids, 3);
        Assert.Equal(viaLookup.Data, viaMatmul.Data);
    }

    [Fact]
    public void Dropout_keeps_the_expected_value_and_is_identity_in_eval()
    {
        var x = Tensor.Ones(20000);
        var y = Ops.Dropout(x, 0.25f, true, new Generator(9));
        Assert.Equal(1.0, y.Data.Average(), 2);
        Assert.InRange(y.Data.Count(v => v == 0) / 20000.0, 0.23, 0.27);
        Assert.Same(x, Ops.Dropout(x, 0.25f, false, new Generator(9)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Dropout(x, 1f, true, new Generator(9)));
    }

    [Fact]
    public void No_grad_scope_records_nothing()
    {
        var w = Tensor.Ones(2, 2).RequireGrad();
        Tensor y;
        using (Autograd.NoGrad()) y = Ops.Tanh(w);
        Assert.False(y.RequiresGrad);
        Assert.Null(y.GradFn);
        Assert.Equal("Tanh", Ops.Tanh(w).GradFn);
    }

    [Fact]
    public void Gradients_accumulate_over_two_backward_passes_and_reuse_of_an_input()
    {
        var x = Tensor.FromArray([3f], 1).RequireGrad();
        Ops.Sum(Ops.Mul(x, x)).Backward();   // d(x²)/dx = 6
        Ops.Sum(Ops.Mul(x, x)).Backward();   // accumulates to 12
        Assert.Equal(12f, x.Grad!.Data[0]);
    }

    [Fact]
    public void Generator_is_reproducible_by_seed_and_differs_across_seeds()
    {
        var a = Tensor.Uniform(new Generator(42), 0, 1, 100);
        var b = Tensor.Uniform(new Generator(42), 0, 1, 100);
        var c = Tensor.Uniform(new Generator(43), 0, 1, 100);
        Assert.Equal(a.Data, b.Data);
        Assert.NotEqual(a.Data, c.Data);
        Assert.InRange(a.Data.Average(), 0.35, 0.65);
    }
}
