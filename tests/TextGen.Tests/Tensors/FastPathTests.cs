// The fast paths added for CPU speed, each against an independent reference: the pre-packed product
// against Blas.Sgemm (same summation order, so bit for bit) and a float64 product, the matrix-vector
// kernel against float64 dot products, the gate activations against double-precision sigmoid and tanh,
// and the fused linear op against finite differences.
using System.Runtime.Intrinsics;
using TextGen.Nn.Recurrent;
using TextGen.Tensors;
using Xunit;
using TextGen.Tensors.Kernels;

namespace TextGen.Tests.Tensors;

[Collection("Blas threads")] // changes Blas.MaxThreads
public class FastPathTests
{
    private static float[] Random(int n, ulong seed)
    {
        var a = new float[n];
        new Generator(seed).FillUniform(a, -1, 1);
        return a;
    }

    [Theory]
    [InlineData(32, 1024, 256, true)]   // S forward: h W_hh^T
    [InlineData(16, 256, 1024, false)]  // S backward: dhg W_hh, four depth blocks
    [InlineData(13, 70, 300, true)]     // ragged rows, columns and depth
    [InlineData(1, 33, 7, false)]
    public unsafe void Prepacked_product_equals_sgemm_bit_for_bit_and_the_float64_product(int m, int n, int k, bool transB)
    {
        var a = Random(m * k, 1); var b = Random(k * n, 2); var c0 = Random(m * n, 3);
        foreach (bool accumulate in new[] { false, true })
        {
            var expected = (float[])c0.Clone();
            Blas.Sgemm(false, transB, m, n, k, a, b, expected, accumulate);
            var actual = (float[])c0.Clone();
            var packed = new PackedB(transB, b, k, n);
            fixed (float* pa = a, pc = actual) GemmDriver.RunPacked(pa, k, m, packed, pc, n, accumulate);
            // One or two rows take Sgemm's matrix-vector path, which sums in another order.
            if (m > GemmSmallRows.MaxRows) Assert.Equal(expected, actual);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double s = accumulate ? c0[i * n + j] : 0;
                    for (int p = 0; p < k; p++) s += (double)a[i * k + p] * (transB ? b[j * k + p] : b[p * n + j]);
                    Assert.True(Math.Abs(actual[i * n + j] - s) <= 1e-4 * (1 + Math.Abs(s)), $"C[{i},{j}] = {actual[i * n + j]}, float64 {s}");
                }
        }
    }

    [Theory]
    [InlineData(1024, 256)]
    [InlineData(67, 13)]     // row and column tails
    public unsafe void Matrix_vector_product_matches_float64(int rows, int cols)
    {
        var w = Random(rows * cols, 4); var x = Random(cols, 5);
        var y = new float[rows];
        fixed (float* pw = w, px = x, py = y) MatrixVector.MultiplyOnThisThread(pw, px, py, rows, cols);
        for (int r = 0; r < rows; r++)
        {
            double s = 0;
            for (int j = 0; j < cols; j++) s += (double)w[r * cols + j] * x[j];
            Assert.True(Math.Abs(y[r] - s) <= 1e-5 * (1 + Math.Abs(s)), $"y[{r}] = {y[r]}, float64 {s}");
        }
    }

    [Theory]
    [InlineData(1024, 256, 8)]
    [InlineData(67, 13, 8)]     // a part-filled block and a short row
    [InlineData(5, 300, 8)]
    [InlineData(1024, 256, 16)]
    [InlineData(67, 13, 16)]
    public unsafe void Packed_matrix_vector_product_matches_float64_in_any_block_order_and_any_split(int rows, int cols, int lanes)
    {
        // Both widths run on every CPU: without AVX-512, Vector512 falls back to two 8-lane halves, with the same roundings.
        var w = Random(rows * cols, 6); var x = Random(cols, 7); var bias = Random(rows, 8);
        // Blocks listed back to front: each output must still land at its own row.
        var blocks = PackedMatrix.Chunks(0, rows, lanes).Reverse().ToArray();
        var packed = new PackedMatrix(w, cols, blocks, lanes);
        Assert.Equal(lanes, packed.Lanes);
        var whole = new float[rows];
        var halves = new float[rows];
        var unbiased = new float[rows];
        fixed (float* px = x, pb = bias, pw = whole, ph = halves, pu = unbiased)
        {
            packed.Multiply(px, pw, pb, 0, packed.BlockCount);
            // Every split of the blocks groups them differently; each output must not change by a bit.
            for (int cut = 0; cut <= packed.BlockCount; cut++)
            {
                packed.Multiply(px, ph, pb, 0, cut);
                packed.Multiply(px, ph, pb, cut, packed.BlockCount);
                Assert.Equal(whole, halves);
            }
            packed.Multiply(px, pu, null, 0, packed.BlockCount);
        }
        for (int r = 0; r < rows; r++)
        {
            double s = 0;
            for (int j = 0; j < cols; j++) s += (double)w[r * cols + j] * x[j];
            Assert.True(Math.Abs(unbiased[r] - s) <= 1e-5 * (1 + Math.Abs(s)), $"y[{r}] = {unbiased[r]}, float64 {s}");
            Assert.Equal(unbiased[r] + bias[r], whole[r]);
        }
        Assert.Throws<ArgumentException>(() => new PackedMatrix(w, cols, [new RowBlock(rows - 1, 2)], lanes));
    }

    [Fact]
    public void A_failure_on_the_partner_thread_reaches_the_caller_and_the_partner_keeps_working()
    {
        var failing = new PartJob(part => { if (part == 1) throw new InvalidOperationException("part 1 broke"); });
        var e = Assert.Throws<InvalidOperationException>(() => PairedWork.Run(failing));
        Assert.Equal("part 1 broke", (Blas.MaxThreads < 2 ? e : e.InnerException!).Message);
        var ran = new int[2];
        PairedWork.Run(new PartJob(part => ran[part]++));
        Assert.Equal([1, 1], ran);
    }

    [Fact]
    public void When_the_callers_half_fails_the_partners_half_has_ended_before_the_error_arrives()
    {
        // Two threads allowed whatever the machine, so that the partner thread this is about exists (one core runs it too).
        int saved = Blas.MaxThreads;
        Blas.MaxThreads = 2;
        try { CallersFailureWaitsForThePartner(); }
        finally { Blas.MaxThreads = saved; }
    }

    private static void CallersFailureWaitsForThePartner()
    {
        int partnerDone = 0;
        var job = new PartJob(part =>
        {
            if (part == 0) throw new InvalidOperationException("part 0 broke");
            Thread.Sleep(50);
            Volatile.Write(ref partnerDone, 1);
        });
        var e = Assert.Throws<InvalidOperationException>(() => PairedWork.Run(job));
        Assert.Equal("part 0 broke", e.Message);
        Assert.Equal(1, Volatile.Read(ref partnerDone));
    }

    private sealed class PartJob(Action<int> body) : IPairedJob
    {
        public void Run(int part) => body(part);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    public void Gate_activations_match_double_precision_over_the_whole_range(int lanes)
    {
        if (lanes == 16 && !Lanes.Wide)
            Assert.Skip("this CPU has no AVX-512: the 16-lane gate kernels use its 14-bit reciprocal estimate (Avx512F.Reciprocal14), which cannot run here; the 8-lane case runs");
        Func<float, float> sigmoid = lanes == 8 ? Lane<Lanes8>(GateMath.Sigmoid) : Lane<Lanes16>(GateMath.Sigmoid);
        Func<float, float> tanh = lanes == 8 ? Lane<Lanes8>(GateMath.Tanh) : Lane<Lanes16>(GateMath.Tanh);
        Func<float, float> exp = lanes == 8 ? Lane<Lanes8>(Lanes.Exp) : Lane<Lanes16>(Lanes.Exp);
        double worstSigmoid = 0, worstTanh = 0, worstExp = 0;
        for (double v = -30; v <= 30; v += 0.001953125 * 3.7)
        {
            double xs = (float)v;
            double sig = 1 / (1 + Math.Exp(-xs)), th = Math.Tanh(xs);
            worstSigmoid = Math.Max(worstSigmoid, Math.Abs(sigmoid((float)v) - sig) / Math.Max(sig, 1e-30));
            worstTanh = Math.Max(worstTanh, Math.Abs(tanh((float)v) - th) / Math.Max(Math.Abs(th), 1e-30));
        }
        for (double v = -87; v <= 88; v += 0.0173)
            worstExp = Math.Max(worstExp, Math.Abs(exp((float)v) - Math.Exp((float)v)) / Math.Exp((float)v));
        foreach (float tiny in new[] { 1e-8f, -3e-5f, 0.01f, 0.149f, 0.151f })
            worstTanh = Math.Max(worstTanh, Math.Abs(tanh(tiny) - Math.Tanh(tiny)) / Math.Abs(Math.Tanh(tiny)));
        // float's unit in the last place is 6e-8 relative: a few of them, never a lost digit
        Assert.True(worstExp < 3e-7, $"exp relative error {worstExp:G3}");
        Assert.True(worstSigmoid < 1e-6, $"sigmoid relative error {worstSigmoid:G3}");
        Assert.True(worstTanh < 1e-6, $"tanh relative error {worstTanh:G3}");
        Assert.Equal(1f, tanh(1e4f));
        Assert.Equal(-1f, tanh(-1e4f));
        Assert.True(sigmoid(-1e4f) is >= 0f and < 1e-37f, $"sigmoid(-1e4) = {sigmoid(-1e4f)}");
        Assert.Equal(1f, sigmoid(1e4f));
        Assert.True(float.IsNaN(sigmoid(float.NaN)) && float.IsNaN(tanh(float.NaN)), "NaN must reach the output, where the trainer's check sees it");
    }

    [Fact]
    public void Both_vector_widths_give_the_same_bits_in_every_lane()
    {
        if (!Lanes.Wide)
            Assert.Skip("this CPU has no AVX-512: the 16-lane gate kernels (Avx512F.Reciprocal14) cannot run here, so there is no second width to compare");
        var g = new Generator(5);
        var x = new float[4096];
        g.FillUniform(x, -12, 12);
        foreach (var (narrow, wide) in new[] { (Lane<Lanes8>(GateMath.Sigmoid), Lane<Lanes16>(GateMath.Sigmoid)), (Lane<Lanes8>(GateMath.Tanh), Lane<Lanes16>(GateMath.Tanh)) })
            foreach (var v in x) Assert.Equal(BitConverter.SingleToInt32Bits(narrow(v)), BitConverter.SingleToInt32Bits(wide(v)));
    }

    /// <summary>Runs a vector function on a vector filled with x and returns its first lane.</summary>
    private static Func<float, float> Lane<V>(Func<V, V> f) where V : struct, IFloatLanes<V> => x =>
    {
        var buffer = new float[V.Count];
        Array.Fill(buffer, x);
        f(V.Load(ref buffer[0], 0)).Store(ref buffer[0], 0);
        return buffer[0];
    };

    [Fact]
    public void Linear_with_bias_has_the_gradients_of_finite_differences_and_the_value_of_matmul_plus_bias()
    {
        var g = new Generator(9);
        var x = Tensor.Uniform(g, -1, 1, 2, 3, 5);
        var w = Tensor.Uniform(g, -1, 1, 4, 5);
        var b = Tensor.Uniform(g, -1, 1, 4);
        var fused = Ops.Linear(x, w, b);
        var separate = Ops.Add(Ops.MatMul(x, w, transposeB: true), b);
        Assert.Equal(separate.ShapeArray, fused.ShapeArray);
        Assert.Equal(separate.Data, fused.Data);
        GradCheck.Check(t => Ops.Linear(t[0], t[1], t[2]), [x, w, b], eps: 1e-2f, tolerance: 1e-2);
    }

    [Theory]
    [InlineData(true, 300)]   // several blocks of rows, split between threads
    [InlineData(false, 5)]
    public void Linear_cross_entropy_equals_linear_then_cross_entropy(bool withBias, int rows)
    {
        var g = new Generator(11);
        var x = Tensor.Uniform(g, -2, 2, rows, 6).RequireGrad();
        var w = Tensor.Uniform(g, -1, 1, 7, 6).RequireGrad();
        var b = withBias ? Tensor.Uniform(g, -1, 1, 7).RequireGrad() : null;
        var targets = Enumerable.Range(0, rows).Select(i => (int)((i * 5 + 3) % 7)).ToArray();
        var fused = Ops.LinearCrossEntropy(x, w, b, targets);
        fused.Backward();
        var (gx, gw, gb) = (x.Grad!.Data.ToArray(), w.Grad!.Data.ToArray(), b?.Grad!.Data.ToArray());
        x.ZeroGrad(); w.ZeroGrad(); b?.ZeroGrad();
        var reference = Ops.CrossEntropy(Ops.Linear(x, w, b), targets);
        reference.Backward();
        Assert.Equal(reference.Item(), fused.Item(), 1e-6 * Math.Abs(reference.Item()));
        GradCheck.AssertClose(x.Grad!.Data, gx, rel: 1e-5, abs: 1e-7, what: "input");
        GradCheck.AssertClose(w.Grad!.Data, gw, rel: 1e-5, abs: 1e-7, what: "weight");
        if (b is not null) GradCheck.AssertClose(b.Grad!.Data, gb!, rel: 1e-5, abs: 1e-7, what: "bias");
    }

    [Fact]
    public void Linear_cross_entropy_has_the_gradients_of_finite_differences()
    {
        var g = new Generator(12);
        var x = Tensor.Uniform(g, -1, 1, 2, 3, 4);
        var w = Tensor.Uniform(g, -1, 1, 5, 4);
        var b = Tensor.Uniform(g, -1, 1, 5);
        int[] targets = [0, 4, 2, 1, 3, 4];
        GradCheck.Check(t => Ops.LinearCrossEntropy(t[0], t[1], t[2], targets), [x, w, b], eps: 1e-2f, tolerance: 1e-2);
    }

    [Fact]
    public void Column_sums_split_over_threads_match_float64_and_do_not_depend_on_the_thread_count()
    {
        int rows = 300, cols = 1000;   // 300,000 values: large enough to be split by columns
        var m = Random(rows * cols, 13);
        var two = new float[cols];
        Ops.ReduceToPeriod(m, cols, two);
        for (int c = 0; c < cols; c++)
        {
            double sum = 0;
            for (int r = 0; r < rows; r++) sum += m[r * cols + c];
            Assert.True(Math.Abs(two[c] - sum) <= 1e-4, $"column {c}: {two[c]}, float64 {sum}");
        }
        int saved = Blas.MaxThreads;
        try
        {
            Blas.MaxThreads = 1;
            var one = new float[cols];
            Ops.ReduceToPeriod(m, cols, one);
            Assert.Equal(one, two);
        }
        finally { Blas.MaxThreads = saved; }
    }

    [Fact]
    public void Cross_entropy_split_over_threads_matches_the_closed_form_and_does_not_depend_on_the_thread_count()
    {
        int rows = 1100, v = 65;   // 71,500 logits: large enough to be split by rows
        var logits = Tensor.Uniform(new Generator(14), -4, 4, rows, v).RequireGrad();
        var targets = Enumerable.Range(0, rows).Select(r => r * 7 % v).ToArray();
        var loss = Ops.CrossEntropy(logits, targets);
        loss.Backward();
        double expected = 0;
        var grad = new double[rows * v];
        for (int r = 0; r < rows; r++)
        {
            double max = double.NegativeInfinity, z = 0;
            for (int i = 0; i < v; i++) max = Math.Max(max, logits.Data[r * v + i]);
            for (int i = 0; i < v; i++) z += Math.Exp(logits.Data[r * v + i] - max);
            expected += Math.Log(z) + max - logits.Data[r * v + targets[r]];
            for (int i = 0; i < v; i++) grad[r * v + i] = (Math.Exp(logits.Data[r * v + i] - max) / z - (i == targets[r] ? 1 : 0)) / rows;
        }
        expected /= rows;
        Assert.Equal(expected, loss.Item(), 1e-5 * expected);
        for (int i = 0; i < grad.Length; i++)
            Assert.True(Math.Abs(logits.Grad!.Data[i] - grad[i]) <= 1e-7 + 1e-5 * Math.Abs(grad[i]), $"gradient {i}: {logits.Grad!.Data[i]}, closed form {grad[i]}");
        int saved = Blas.MaxThreads;
        try
        {
            Blas.MaxThreads = 1;
            var gradTwo = logits.Grad!.Data.ToArray();
            logits.ZeroGrad();
            var lossOne = Ops.CrossEntropy(logits, targets);
            lossOne.Backward();
            Assert.Equal(loss.Item(), lossOne.Item());
            Assert.Equal(gradTwo, logits.Grad!.Data);
        }
        finally { Blas.MaxThreads = saved; }
    }
}
