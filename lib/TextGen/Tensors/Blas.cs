// Single-precision matrix products on spans: C (m x n) = op(A) op(B) (+ C when accumulating),
// row-major, op(X) = X or its transpose. Packed panels feed a register-blocked FMA micro-kernel
// (GemmKernel); work is split over output rows or columns only, never over k, so the result does
// not depend on the thread count.
namespace TextGen.Tensors;

/// <summary>CPU matrix products used by every layer (the GEMM of BLAS, float32, row-major).</summary>
public static unsafe class Blas
{
    /// <summary>Products with fewer multiply-adds than this run on the calling thread.</summary>
    private const long ParallelThreshold = 1L << 20;

    /// <summary>Maximum threads the CPU kernels use; defaults to the processor count.</summary>
    public static int MaxThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Computes C = op(A) op(B), or C += op(A) op(B) when <paramref name="accumulate"/> is set.
    /// A is (m x k), or (k x m) when <paramref name="transA"/>; B is (k x n), or (n x k) when <paramref name="transB"/>.
    /// </summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate = false)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentOutOfRangeException(nameof(m), $"sgemm: negative size ({m}, {n}, {k})");
        if (a.Length < (long)m * k) throw new ArgumentException($"sgemm: A has {a.Length} elements, needs {(long)m * k}");
        if (b.Length < (long)k * n) throw new ArgumentException($"sgemm: B has {b.Length} elements, needs {(long)k * n}");
        if (c.Length < (long)m * n) throw new ArgumentException($"sgemm: C has {c.Length} elements, needs {(long)m * n}");
        if (m == 0 || n == 0) return;
        if (!accumulate) c[..(m * n)].Clear();
        if (k == 0) return;
        int lda = transA ? m : k, ldb = transB ? k : n;
        fixed (float* pa = a, pb = b, pc = c)
        {
            long work = (long)m * n * k;
            int threads = Math.Min(MaxThreads, work < ParallelThreshold ? 1 : 8);
            if (threads <= 1)
            {
                GemmKernel.Multiply(transA, transB, m, n, k, pa, lda, pb, ldb, pc, n);
                return;
            }
            // Split the larger output side into equal parts, each a complete product on its own.
            bool byRows = m >= n;
            int size = byRows ? m : n;
            int align = byRows ? GemmKernel.MR : GemmKernel.NR;
            int chunk = (size + threads - 1) / threads;
            chunk = (chunk + align - 1) / align * align;
            int parts = (size + chunk - 1) / chunk;
            var (ap, bp, cp) = ((nint)pa, (nint)pb, (nint)pc);
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = threads }, part =>
            {
                int s0 = part * chunk, len = Math.Min(chunk, size - s0);
                float* a0 = (float*)ap, b0 = (float*)bp, c0 = (float*)cp;
                if (byRows)
                    GemmKernel.Multiply(transA, transB, len, n, k, transA ? a0 + s0 : a0 + (long)s0 * lda, lda, b0, ldb, c0 + (long)s0 * n, n);
                else
                    GemmKernel.Multiply(transA, transB, m, len, k, a0, lda, transB ? b0 + (long)s0 * ldb : b0 + s0, ldb, c0 + s0, n);
            });
        }
    }

    /// <summary>
    /// C = op(A) B (or C += when <paramref name="accumulate"/>) for a B packed once with <see cref="PackedMatrix"/>;
    /// A is (m x k), or (k x m) when <paramref name="transA"/>.
    /// </summary>
    public static void Sgemm(bool transA, int m, ReadOnlySpan<float> a, PackedMatrix b, Span<float> c, bool accumulate = false)
    {
        int k = b.K, n = b.N;
        if (a.Length < (long)m * k) throw new ArgumentException($"sgemm: A has {a.Length} elements, needs {(long)m * k}");
        if (c.Length < (long)m * n) throw new ArgumentException($"sgemm: C has {c.Length} elements, needs {(long)m * n}");
        if (m == 0) return;
        if (!accumulate) c[..(m * n)].Clear();
        int lda = transA ? m : k;
        fixed (float* pa = a, pc = c)
        {
            long work = (long)m * n * k;
            int panels = b.PaddedN / GemmKernel.NR;
            int threads = Math.Min(Math.Min(MaxThreads, panels), work < ParallelThreshold ? 1 : 8);
            if (threads <= 1)
            {
                GemmKernel.MultiplyPacked(transA, m, 0, n, pa, lda, b, pc, n);
                return;
            }
            // Columns split on panel boundaries; each part reads the shared packed panels.
            int per = (panels + threads - 1) / threads;
            var (ap, cp) = ((nint)pa, (nint)pc);
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, part =>
            {
                int j0 = part * per * GemmKernel.NR, j1 = Math.Min(n, (part + 1) * per * GemmKernel.NR);
                if (j0 < j1) GemmKernel.MultiplyPacked(transA, m, j0, j1, (float*)ap, lda, b, (float*)cp, n);
            });
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
