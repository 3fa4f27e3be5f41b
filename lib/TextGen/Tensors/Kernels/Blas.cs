// Single-precision matrix products on spans: C (m x n) = op(A) * op(B) (+ C when accumulating).
// Row-major; op(X) is X or its transpose. Packed panels, register-blocked FMA kernels, cache blocking.
namespace TextGen.Tensors.Kernels;

/// <summary>CPU matrix products used by every layer (the GEMM of BLAS, float32, row-major).</summary>
/// <remarks>
/// Blocks of op(A) and op(B) are packed into micro-panels (<see cref="GemmPacking"/>), multiplied by a
/// register-blocked fused multiply-add kernel (<see cref="GemmKernels"/>) inside cache-sized loops
/// (<see cref="GemmDriver"/>), and large products are split over rectangles of C on a small persistent
/// thread team (<see cref="GemmThreadTeam"/>). The depth k is never split, so results are bit-identical
/// whatever <see cref="MaxThreads"/> is. One- and two-row products (generation) skip packing
/// (<see cref="GemmSmallRows"/>).
/// </remarks>
public static class Blas
{
    /// <summary>Products with fewer multiply-adds than this run on the calling thread: waking a worker costs more.</summary>
    private const long ParallelThreshold = 1L << 20;

    /// <summary>Maximum threads the CPU kernels use; defaults to the processor count.</summary>
    public static int MaxThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Computes C = op(A) op(B), or C += op(A) op(B) when <paramref name="accumulate"/> is set.
    /// A is (m x k), or (k x m) when <paramref name="transA"/>; B is (k x n), or (n x k) when <paramref name="transB"/>.
    /// </summary>
    public static unsafe void Sgemm(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate = false)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentException($"sgemm: sizes must be non-negative, got m={m}, n={n}, k={k}");
        if (a.Length < (long)m * k) throw new ArgumentException($"sgemm: A has {a.Length} elements, needs {(long)m * k} (m={m} x k={k})");
        if (b.Length < (long)k * n) throw new ArgumentException($"sgemm: B has {b.Length} elements, needs {(long)k * n} (k={k} x n={n})");
        if (c.Length < (long)m * n) throw new ArgumentException($"sgemm: C has {c.Length} elements, needs {(long)m * n} (m={m} x n={n})");
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate) c[..(m * n)].Clear();
            return;
        }
        fixed (float* pa = a, pb = b, pc = c)
        {
            var g = new GemmArgs
            {
                A = pa, B = pb, C = pc, M = m, N = n, K = k,
                Lda = transA ? m : k, Ldb = transB ? k : n, Ldc = n,
                TransA = transA, TransB = transB, Accumulate = accumulate,
            };
            int threads = (long)m * n * k < ParallelThreshold ? 1 : Math.Max(1, MaxThreads);
            if (m <= GemmSmallRows.MaxRows) GemmSmallRows.Run(g);
            else if (threads == 1) GemmDriver.Run(g, 0, m, 0, n);
            else GemmThreadTeam.Run(g, threads);
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
