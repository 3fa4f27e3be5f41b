// Packing of op(A) and op(B) blocks into the contiguous micro-panels the micro-kernels stream.
// The transposes of A and B are absorbed here, so no transposed copy of a whole matrix is ever made.
using System.Runtime.Intrinsics;

namespace TextGen.Tensors;

/// <summary>Copies blocks of the operands into zero-padded micro-panels for <see cref="GemmKernels"/>.</summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs rows [i0, i0+mc) and depth [p0, p0+kc) of op(A) into panels of <paramref name="mr"/> rows,
    /// each stored depth-major (mr values per k step); short last panels are padded with zeros.
    /// </summary>
    public static void PackA(bool transA, float* a, int lda, int i0, int mc, int p0, int kc, float* dst, int mr)
    {
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            float* panel = dst + (long)ir * kc;
            if (transA)
            {
                // A is stored (k x m): the mr values of one k step are contiguous.
                float* src = a + (long)p0 * lda + i0 + ir;
                if (rows == mr && mr == 8)
                    for (int p = 0; p < kc; p++, src += lda) Vector256.Store(Vector256.Load(src), panel + p * 8);
                else
                    for (int p = 0; p < kc; p++, src += lda)
                    {
                        float* d = panel + p * mr;
                        int i = 0;
                        for (; i < rows; i++) d[i] = src[i];
                        for (; i < mr; i++) d[i] = 0f;
                    }
            }
            else
            {
                // A is stored (m x k): read each row contiguously and scatter it with stride mr.
                for (int i = 0; i < rows; i++)
                {
                    float* src = a + (long)(i0 + ir + i) * lda + p0;
                    float* d = panel + i;
                    for (int p = 0; p < kc; p++) d[p * mr] = src[p];
                }
                for (int i = rows; i < mr; i++)
                    for (int p = 0; p < kc; p++) panel[p * mr + i] = 0f;
            }
        }
    }

    /// <summary>
    /// Packs depth [p0, p0+kc) and columns [j0, j0+nc) of op(B) into panels of <paramref name="nr"/> columns,
    /// each stored depth-major (nr values per k step); short last panels are padded with zeros.
    /// </summary>
    public static void PackB(bool transB, float* b, int ldb, int p0, int kc, int j0, int nc, float* dst, int nr)
    {
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            float* panel = dst + (long)jr * kc;
            if (!transB)
            {
                // B is stored (k x n): the nr values of one k step are contiguous.
                float* src = b + (long)p0 * ldb + j0 + jr;
                if (cols == nr && nr == 32 && Vector512.IsHardwareAccelerated)
                    for (int p = 0; p < kc; p++, src += ldb)
                    {
                        Vector512.Store(Vector512.Load(src), panel + p * 32);
                        Vector512.Store(Vector512.Load(src + 16), panel + p * 32 + 16);
                    }
                else if (cols == nr && nr == 16)
                    for (int p = 0; p < kc; p++, src += ldb)
                    {
                        Vector256.Store(Vector256.Load(src), panel + p * 16);
                        Vector256.Store(Vector256.Load(src + 8), panel + p * 16 + 8);
                    }
                else
                    for (int p = 0; p < kc; p++, src += ldb)
                    {
                        float* d = panel + p * nr;
                        int j = 0;
                        for (; j < cols; j++) d[j] = src[j];
                        for (; j < nr; j++) d[j] = 0f;
                    }
            }
            else
            {
                // B is stored (n x k): read each row of storage contiguously, scatter with stride nr.
                for (int j = 0; j < cols; j++)
                {
                    float* src = b + (long)(j0 + jr + j) * ldb + p0;
                    float* d = panel + j;
                    for (int p = 0; p < kc; p++) d[p * nr] = src[p];
                }
                for (int j = cols; j < nr; j++)
                    for (int p = 0; p < kc; p++) panel[p * nr + j] = 0f;
            }
        }
    }
}
