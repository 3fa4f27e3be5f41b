// Single-precision matrix products on spans: C (m x n) = op(A) * op(B) (+ C when accumulating).
// Row-major; op(X) is X or its transpose. Work is split over output rows only, so results do not
// depend on the thread count.
using System.Numerics.Tensors;

namespace TextGen.Tensors;

/// <summary>CPU matrix products used by every layer (the GEMM of BLAS, float32, row-major).</summary>
public static class Blas
{
    /// <summary>Products smaller than this many multiply-adds run on the calling thread.</summary>
    private const long ParallelThreshold = 1L << 18;

    /// <summary>Maximum threads the CPU kernels use; defaults to the processor count.</summary>
    public static int MaxThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Computes C = op(A) op(B), or C += op(A) op(B) when <paramref name="accumulate"/> is set.
    /// A is (m x k), or (k x m) when <paramref name="transA"/>; B is (k x n), or (n x k) when <paramref name="transB"/>.
    /// </summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate = false)
    {
        if (a.Length < (long)m * k) throw new ArgumentException($"sgemm: A has {a.Length} elements, needs {(long)m * k}");
        if (b.Length < (long)k * n) throw new ArgumentException($"sgemm: B has {b.Length} elements, needs {(long)k * n}");
        if (c.Length < (long)m * n) throw new ArgumentException($"sgemm: C has {c.Length} elements, needs {(long)m * n}");
        if (m == 0 || n == 0) return;
        if (!accumulate) c[..(m * n)].Clear();
        if (k == 0) return;
        if (transB && !transA && m >= 4)
        {
            // Dot products over rows of B are cache-friendly enough, but i-k-j on a transposed copy is faster.
            var bt = System.Buffers.ArrayPool<float>.Shared.Rent(k * n);
            try
            {
                Transpose(b, bt, n, k);
                Run(false, m, n, k, a, bt.AsSpan(0, k * n), c);
            }
            finally { System.Buffers.ArrayPool<float>.Shared.Return(bt); }
            return;
        }
        if (transB)
        {
            // op(A) rows against rows of B: dot products.
            for (int i = 0; i < m; i++)
            {
                var crow = c.Slice(i * n, n);
                for (int j = 0; j < n; j++)
                {
                    float s = 0;
                    var brow = b.Slice(j * k, k);
                    if (!transA) s = TensorPrimitives.Dot(a.Slice(i * k, k), brow);
                    else for (int p = 0; p < k; p++) s += a[p * m + i] * brow[p];
                    crow[j] += s;
                }
            }
            return;
        }
        Run(transA, m, n, k, a, b, c);
    }

    private static unsafe void Run(bool transA, int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c)
    {
        long work = (long)m * n * k;
        int threads = Math.Min(MaxThreads, m);
        if (work < ParallelThreshold || threads <= 1)
        {
            RowsNN(transA, 0, m, m, n, k, a, b, c);
            return;
        }
        fixed (float* pa = a, pb = b, pc = c)
        {
            var (ap, bp, cp) = ((nint)pa, (nint)pb, (nint)pc);
            int alen = a.Length, blen = b.Length, clen = c.Length;
            int chunk = (m + threads - 1) / threads;
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                int r0 = t * chunk, r1 = Math.Min(m, r0 + chunk);
                if (r0 >= r1) return;
                RowsNN(transA, r0, r1, m, n, k,
                    new ReadOnlySpan<float>((float*)ap, alen), new ReadOnlySpan<float>((float*)bp, blen), new Span<float>((float*)cp, clen));
            });
        }
    }

    private static void RowsNN(bool transA, int r0, int r1, int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c)
    {
        for (int i = r0; i < r1; i++)
        {
            var crow = c.Slice(i * n, n);
            for (int p = 0; p < k; p++)
            {
                float aip = transA ? a[p * m + i] : a[i * k + p];
                if (aip == 0f) continue;
                TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), aip, crow, crow);
            }
        }
    }

    /// <summary>Writes the transpose of a (rows x cols) matrix into <paramref name="destination"/> (cols x rows).</summary>
    public static void Transpose(ReadOnlySpan<float> source, Span<float> destination, int rows, int cols)
    {
        const int B = 32;
        for (int i0 = 0; i0 < rows; i0 += B)
            for (int j0 = 0; j0 < cols; j0 += B)
            {
                int i1 = Math.Min(rows, i0 + B), j1 = Math.Min(cols, j0 + B);
                for (int i = i0; i < i1; i++)
                    for (int j = j0; j < j1; j++)
                        destination[j * rows + i] = source[i * cols + j];
            }
    }
}
