// A decoder and its loss as one op: logits = x W^T + b, then the mean cross-entropy against integer
// targets. The logits are computed a block of rows at a time into a small buffer that stays in cache,
// turned into log-probabilities and the row's loss at once, and what backward needs (softmax minus the
// one-hot target) is written in the same pass; the full logits tensor is never materialised.
using System.Numerics.Tensors;
using TextGen.Tensors.Kernels;

namespace TextGen.Tensors;

public static partial class Ops
{
    /// <summary>Rows of logits computed per block: 128 x V floats stay in L2 for the character vocabularies.</summary>
    private const int LossBlockRows = 128;

    /// <summary>
    /// Mean cross-entropy of the logits <paramref name="input"/> W^T + <paramref name="bias"/> against one target id per row of
    /// <paramref name="input"/> (..., in): the value and gradients of <c>F.cross_entropy(F.linear(x, W, b).view(-1, V), t)</c>
    /// without materialising the logits.
    /// </summary>
    public static Tensor LinearCrossEntropy(Tensor input, Tensor weight, Tensor? bias, ReadOnlySpan<int> targets)
    {
        if (weight.Rank != 2) throw new ArgumentException($"linear cross-entropy: weight {weight.ShapeString} must be (vocabulary, in)");
        int v = weight.Size(0), k = weight.Size(1);
        if (bias is not null && (bias.Rank != 1 || bias.Size(0) != v))
            throw new ArgumentException($"linear cross-entropy: bias {bias.ShapeString} must be ({v})");
        if (input.Rank < 1 || input.Size(-1) != k)
            throw new ArgumentException($"linear cross-entropy: input {input.ShapeString} must end in the weight's in-features {k}");
        int rows = input.Numel / Math.Max(1, k);
        var tgt = CheckTargets(targets, rows, v, $"the input {input.ShapeString} has");

        Tensor[] inputs = bias is null ? [input, weight] : [input, weight, bias];
        bool needsGrad = Tensor.NeedsGrad(inputs);
        // dZ = softmax(logits) - onehot(target), row by row; backward scales it by the upstream gradient / rows.
        var dz = needsGrad ? BufferPool.Rent(rows * v) : null;
        var rowLoss = new float[rows];
        int blocks = (rows + LossBlockRows - 1) / LossBlockRows;
        Action<int> block = i =>
        {
            int r0 = i * LossBlockRows, n = Math.Min(LossBlockRows, rows - r0);
            var logits = BufferPool.Rent(n * v);
            try
            {
                for (int r = 0; r < n; r++)
                    if (bias is null) logits.AsSpan(r * v, v).Clear();
                    else bias.data.AsSpan().CopyTo(logits.AsSpan(r * v, v));
                SgemmOnThisThread(input.data.AsSpan(r0 * k, n * k), weight.data, logits, n, v, k);
                for (int r = 0; r < n; r++)
                {
                    var lp = logits.AsSpan(r * v, v);
                    LogSoftmaxRow(lp, lp);
                    int t = tgt[r0 + r];
                    rowLoss[r0 + r] = -lp[t];
                    if (dz is null) continue;
                    var d = dz.AsSpan((r0 + r) * v, v);
                    TensorPrimitives.Exp(lp, d);
                    d[t] -= 1f;
                }
            }
            finally { BufferPool.Return(logits); }
        };
        if (blocks == 1 || Blas.MaxThreads < 2) for (int i = 0; i < blocks; i++) block(i);
        else Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = Blas.MaxThreads }, block);
        // Summed in row order whatever the split, so the loss does not depend on the thread count.
        double loss = 0;
        foreach (var l in rowLoss) loss += l;
        var result = Tensor.Wrap([(float)(loss / rows)], []);
        if (dz is not null)
        {
            bool released = false;
            result.Record("LinearCrossEntropy", inputs, g =>
            {
                if (released) throw new InvalidOperationException("backward: this loss's saved probabilities were freed by an earlier backward pass; run the forward pass again");
                released = true;
                TensorPrimitives.Multiply(dz, g[0] / rows, dz);
                LinearBackward(dz, input, weight, bias, rows, v, k);
                BufferPool.Return(dz);
            });
        }
        return result;
    }

    /// <summary>C += A B^T for A (m x k) and B (n x k) on the calling thread: the caller already splits the work.</summary>
    private static unsafe void SgemmOnThisThread(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k)
    {
        fixed (float* pa = a, pb = b, pc = c)
        {
            var g = new GemmArgs { A = pa, B = pb, C = pc, M = m, N = n, K = k, Lda = k, Ldb = k, Ldc = n, TransB = true, Accumulate = true };
            if (m <= GemmSmallRows.MaxRows) GemmSmallRows.Run(g);
            else GemmDriver.Run(g, 0, m, 0, n);
        }
    }
}
