// Products with one or two rows of C (generation runs batch 1): vector loops over B with no packing.
// Packing B costs as much as the whole product here, and the 8-row kernel would be mostly padding.
using System.Buffers;
using System.Numerics.Tensors;

namespace TextGen.Tensors.Kernels;

/// <summary>Matrix-vector style path of <see cref="Blas.Sgemm"/> for very short op(A).</summary>
internal static unsafe class GemmSmallRows
{
    /// <summary>Products with at most this many rows of C take this path (always, so results do not depend on threads).</summary>
    public const int MaxRows = 2;

    /// <summary>Computes all of C row by row on the calling thread.</summary>
    public static void Run(in GemmArgs g)
    {
        int n = g.N, k = g.K;
        float[]? column = null, products = null;
        try
        {
            for (int i = 0; i < g.M; i++)
            {
                var cRow = new Span<float>(g.C + (long)i * g.Ldc, n);
                if (!g.TransB)
                {
                    // C row = sum over p of a[i,p] times row p of B: each row of B is read once, contiguously.
                    if (!g.Accumulate) cRow.Clear();
                    for (int p = 0; p < k; p++)
                    {
                        float aip = g.TransA ? g.A[(long)p * g.Lda + i] : g.A[(long)i * g.Lda + p];
                        TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(g.B + (long)p * g.Ldb, n), aip, cRow, cRow);
                    }
                    continue;
                }
                // B is stored (n x k): the row of C is B times the row of op(A), a matrix-vector product.
                if (g.TransA)
                {
                    column ??= ArrayPool<float>.Shared.Rent(k);
                    for (int p = 0; p < k; p++) column[p] = g.A[(long)p * g.Lda + i];
                }
                if (g.Accumulate) products ??= ArrayPool<float>.Shared.Rent(n);
                fixed (float* pColumn = column, pProducts = products)
                {
                    float* aRow = g.TransA ? pColumn : g.A + (long)i * g.Lda;
                    MatrixVector.MultiplyOnThisThread(g.B, aRow, g.Accumulate ? pProducts : g.C + (long)i * g.Ldc, n, k);
                    if (g.Accumulate) TensorPrimitives.Add(cRow, new ReadOnlySpan<float>(pProducts, n), cRow);
                }
            }
        }
        finally
        {
            if (column != null) ArrayPool<float>.Shared.Return(column);
            if (products != null) ArrayPool<float>.Shared.Return(products);
        }
    }
}
