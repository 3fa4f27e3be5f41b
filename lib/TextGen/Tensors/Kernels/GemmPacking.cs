// Packing of op(A) and op(B) blocks into the contiguous micro-panels the micro-kernels stream.
// The transposes of A and B are absorbed here, so no transposed copy of a whole matrix is ever made.
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TextGen.Tensors.Kernels;

/// <summary>Copies blocks of the operands into zero-padded micro-panels for <see cref="GemmKernels"/>.</summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs rows [i0, i0+mc) and depth [p0, p0+kc) of op(A) into panels of <paramref name="mr"/> rows,
    /// each stored depth-major (mr values per k step); short last panels are padded with zeros. <paramref name="capacity"/>
    /// is the floats <paramref name="dst"/> holds: a block that would not fit throws instead of writing past it.
    /// </summary>
    public static void PackA(bool transA, float* a, int lda, int i0, int mc, int p0, int kc, float* dst, int mr, long capacity)
    {
        if ((long)GemmDriver.RoundUp(mc, mr) * kc > capacity)
            throw new InvalidOperationException($"GEMM packing: {mc} rows in panels of {mr} by depth {kc} need {(long)GemmDriver.RoundUp(mc, mr) * kc} floats, the buffer holds {capacity}");
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
                // A is stored (m x k): whole 8 x 8 blocks go through a register transpose, the rest
                // is read row by row and scattered with stride mr.
                float* rowStart = a + (long)(i0 + ir) * lda + p0;
                int pDone = 0;
                if (Avx.IsSupported && rows == 8 && mr == 8)
                    for (; pDone + 8 <= kc; pDone += 8) Transpose8x8(rowStart + pDone, lda, panel + pDone * 8, 8);
                for (int i = 0; i < rows; i++)
                {
                    float* src = rowStart + (long)i * lda;
                    float* d = panel + i;
                    for (int p = pDone; p < kc; p++) d[p * mr] = src[p];
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
                // B is stored (n x k): groups of 8 columns go through 8 x 8 register transposes (a
                // scalar scatter with stride nr thrashes L1 sets); leftovers are scattered one by one.
                float* colStart = b + (long)(j0 + jr) * ldb + p0;
                int jDone = 0, pDone = 0;
                if (Avx.IsSupported && kc >= 8)
                {
                    pDone = kc & ~7;
                    for (; jDone + 8 <= cols; jDone += 8)
                        for (int p = 0; p < pDone; p += 8)
                            Transpose8x8(colStart + (long)jDone * ldb + p, ldb, panel + p * nr + jDone, nr);
                }
                for (int j = 0; j < cols; j++)
                {
                    float* src = colStart + (long)j * ldb;
                    float* d = panel + j;
                    for (int p = j < jDone ? pDone : 0; p < kc; p++) d[p * nr] = src[p];
                }
                for (int j = cols; j < nr; j++)
                    for (int p = 0; p < kc; p++) panel[p * nr + j] = 0f;
            }
        }
    }

    /// <summary>Writes the transpose of the 8 x 8 block at <paramref name="src"/> to <paramref name="dst"/> (AVX shuffles).</summary>
    private static void Transpose8x8(float* src, long srcStride, float* dst, long dstStride)
    {
        var r0 = Avx.LoadVector256(src); var r1 = Avx.LoadVector256(src + srcStride);
        var r2 = Avx.LoadVector256(src + 2 * srcStride); var r3 = Avx.LoadVector256(src + 3 * srcStride);
        var r4 = Avx.LoadVector256(src + 4 * srcStride); var r5 = Avx.LoadVector256(src + 5 * srcStride);
        var r6 = Avx.LoadVector256(src + 6 * srcStride); var r7 = Avx.LoadVector256(src + 7 * srcStride);
        // Interleave pairs of rows, then pairs of pairs: each 128-bit lane then holds 4 x 4 transposed blocks.
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        // Join the low lanes (columns 0-3) and the high lanes (columns 4-7) of rows 0-3 and 4-7.
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + 2 * dstStride, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + 3 * dstStride, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + 4 * dstStride, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + 5 * dstStride, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + 6 * dstStride, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + 7 * dstStride, Avx.Permute2x128(u3, u7, 0x31));
    }
}
