// The single-threaded core of Blas.Sgemm: cache blocking (NC columns x KC depth x MC rows), packing
// of A into MR-row panels and B into NR-column panels (the transposes are absorbed here), and an
// MR x NR register tile of FMA accumulators: 8 x 32 with AVX-512, 4 x 32 with AVX2.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TextGen.Tensors;

internal static unsafe class GemmKernel
{
    public static readonly bool Wide = Avx512F.IsSupported && Vector512.IsHardwareAccelerated;
    public static readonly bool HasFma = Fma.IsSupported;
    public static readonly int MR = Wide ? 8 : 4;
    public const int NR = 32;
    public const int KC = 256;
    private const int MC = 128, NC = 1024;

    [ThreadStatic] private static float* packA;
    [ThreadStatic] private static float* packB;

    /// <summary>C += op(A) op(B) for one thread; A(i,p) = transA ? a[p*lda+i] : a[i*lda+p], likewise B.</summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc)
    {
        if (packA == null)
        {
            packA = (float*)NativeMemory.AlignedAlloc((nuint)(MC * KC * sizeof(float)), 64);
            packB = (float*)NativeMemory.AlignedAlloc((nuint)(KC * NC * sizeof(float)), 64);
        }
        float* pA = packA, pB = packB;
        for (int jc = 0; jc < n; jc += NC)
        {
            int nc = Math.Min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC)
            {
                int kc = Math.Min(KC, k - pc);
                PackB(transB, b, ldb, pc, jc, kc, nc, pB);
                for (int ic = 0; ic < m; ic += MC)
                {
                    int mc = Math.Min(MC, m - ic);
                    PackA(transA, a, lda, ic, pc, mc, kc, pA);
                    for (int jr = 0; jr < nc; jr += NR)
                    {
                        int nr = Math.Min(NR, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR)
                        {
                            int mr = Math.Min(MR, mc - ir);
                            float* cTile = c + (long)(ic + ir) * ldc + jc + jr;
                            if (Wide) Tile8x32(kc, pA + ir * kc, pB + jr * kc, cTile, ldc, mr, nr);
                            else Tile4x32(kc, pA + ir * kc, pB + jr * kc, cTile, ldc, mr, nr);
                        }
                    }
                }
            }
        }
    }

    /// <summary>C += op(A) B for a pre-packed B, over the NR-aligned column range [j0, j1).</summary>
    public static void MultiplyPacked(bool transA, int m, int j0, int j1, float* a, int lda, PackedMatrix b, float* c, int ldc)
    {
        if (packA == null)
        {
            packA = (float*)NativeMemory.AlignedAlloc((nuint)(MC * KC * sizeof(float)), 64);
            packB = (float*)NativeMemory.AlignedAlloc((nuint)(KC * NC * sizeof(float)), 64);
        }
        float* pA = packA;
        for (int pc = 0; pc < b.K; pc += KC)
        {
            int kc = Math.Min(KC, b.K - pc);
            for (int ic = 0; ic < m; ic += MC)
            {
                int mc = Math.Min(MC, m - ic);
                PackA(transA, a, lda, ic, pc, mc, kc, pA);
                for (int jr = j0; jr < j1; jr += NR)
                {
                    int nr = Math.Min(NR, b.N - jr);
                    float* panel = b.Panel(pc, jr, kc);
                    for (int ir = 0; ir < mc; ir += MR)
                    {
                        int mr = Math.Min(MR, mc - ir);
                        float* cTile = c + (long)(ic + ir) * ldc + jr;
                        if (Wide) Tile8x32(kc, pA + ir * kc, panel, cTile, ldc, mr, nr);
                        else Tile4x32(kc, pA + ir * kc, panel, cTile, ldc, mr, nr);
                    }
                }
            }
        }
    }

    /// <summary>Rows [ic, ic+mc) x depth [pc, pc+kc) of op(A) into MR-row panels, k-major, zero-padded.</summary>
    private static void PackA(bool transA, float* a, int lda, int ic, int pc, int mc, int kc, float* dst)
    {
        int mr = MR;
        for (int i0 = 0; i0 < mc; i0 += mr)
        {
            int rows = Math.Min(mr, mc - i0);
            float* panel = dst + i0 * kc;
            for (int p = 0; p < kc; p++)
            {
                float* d = panel + p * mr;
                if (transA)
                {
                    float* s = a + (long)(pc + p) * lda + ic + i0;
                    for (int i = 0; i < rows; i++) d[i] = s[i];
                }
                else
                {
                    float* s = a + (long)(ic + i0) * lda + pc + p;
                    for (int i = 0; i < rows; i++) d[i] = s[(long)i * lda];
                }
                for (int i = rows; i < mr; i++) d[i] = 0f;
            }
        }
    }

    /// <summary>Depth [pc, pc+kc) x columns [jc, jc+nc) of op(B) into NR-column panels, k-major, zero-padded.</summary>
    internal static void PackB(bool transB, float* b, int ldb, int pc, int jc, int kc, int nc, float* dst)
    {
        for (int j0 = 0; j0 < nc; j0 += NR)
        {
            int cols = Math.Min(NR, nc - j0);
            float* panel = dst + j0 * kc;
            if (!transB && cols == NR)
            {
                for (int p = 0; p < kc; p++)
                {
                    float* s = b + (long)(pc + p) * ldb + jc + j0;
                    Vector256.Store(Vector256.Load(s), panel + p * NR);
                    Vector256.Store(Vector256.Load(s + 8), panel + p * NR + 8);
                    Vector256.Store(Vector256.Load(s + 16), panel + p * NR + 16);
                    Vector256.Store(Vector256.Load(s + 24), panel + p * NR + 24);
                }
                continue;
            }
            for (int p = 0; p < kc; p++)
            {
                float* d = panel + p * NR;
                if (transB)
                {
                    float* s = b + (long)(jc + j0) * ldb + pc + p;
                    for (int j = 0; j < cols; j++) d[j] = s[(long)j * ldb];
                }
                else
                {
                    float* s = b + (long)(pc + p) * ldb + jc + j0;
                    for (int j = 0; j < cols; j++) d[j] = s[j];
                }
                for (int j = cols; j < NR; j++) d[j] = 0f;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile8x32(int kc, float* ap, float* bp, float* c, int ldc, int mr, int nr)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(bp);
            var b1 = Vector512.Load(bp + 16);
            bp += NR;
            var a = Vector512.Create(ap[0]); c00 = Avx512F.FusedMultiplyAdd(a, b0, c00); c01 = Avx512F.FusedMultiplyAdd(a, b1, c01);
            a = Vector512.Create(ap[1]); c10 = Avx512F.FusedMultiplyAdd(a, b0, c10); c11 = Avx512F.FusedMultiplyAdd(a, b1, c11);
            a = Vector512.Create(ap[2]); c20 = Avx512F.FusedMultiplyAdd(a, b0, c20); c21 = Avx512F.FusedMultiplyAdd(a, b1, c21);
            a = Vector512.Create(ap[3]); c30 = Avx512F.FusedMultiplyAdd(a, b0, c30); c31 = Avx512F.FusedMultiplyAdd(a, b1, c31);
            a = Vector512.Create(ap[4]); c40 = Avx512F.FusedMultiplyAdd(a, b0, c40); c41 = Avx512F.FusedMultiplyAdd(a, b1, c41);
            a = Vector512.Create(ap[5]); c50 = Avx512F.FusedMultiplyAdd(a, b0, c50); c51 = Avx512F.FusedMultiplyAdd(a, b1, c51);
            a = Vector512.Create(ap[6]); c60 = Avx512F.FusedMultiplyAdd(a, b0, c60); c61 = Avx512F.FusedMultiplyAdd(a, b1, c61);
            a = Vector512.Create(ap[7]); c70 = Avx512F.FusedMultiplyAdd(a, b0, c70); c71 = Avx512F.FusedMultiplyAdd(a, b1, c71);
            ap += 8;
        }
        if (mr == 8 && nr == NR)
        {
            Add(c, c00, c01); Add(c + ldc, c10, c11); Add(c + 2 * ldc, c20, c21); Add(c + 3 * ldc, c30, c31);
            Add(c + 4 * ldc, c40, c41); Add(c + 5 * ldc, c50, c51); Add(c + 6 * ldc, c60, c61); Add(c + 7 * ldc, c70, c71);
            return;
        }
        float* tile = stackalloc float[8 * NR];
        c00.Store(tile); c01.Store(tile + 16); c10.Store(tile + 32); c11.Store(tile + 48);
        c20.Store(tile + 64); c21.Store(tile + 80); c30.Store(tile + 96); c31.Store(tile + 112);
        c40.Store(tile + 128); c41.Store(tile + 144); c50.Store(tile + 160); c51.Store(tile + 176);
        c60.Store(tile + 192); c61.Store(tile + 208); c70.Store(tile + 224); c71.Store(tile + 240);
        AddEdge(tile, c, ldc, mr, nr);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(float* c, Vector512<float> lo, Vector512<float> hi)
    {
        (Vector512.Load(c) + lo).Store(c);
        (Vector512.Load(c + 16) + hi).Store(c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x32(int kc, float* ap, float* bp, float* c, int ldc, int mr, int nr)
    {
        float* tile = stackalloc float[4 * NR];
        new Span<float>(tile, 4 * NR).Clear();
        for (int i = 0; i < 4; i++)
        {
            Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
            for (int p = 0; p < kc; p++)
            {
                var a = Vector256.Create(ap[p * 4 + i]);
                float* row = bp + p * NR;
                if (HasFma)
                {
                    s0 = Fma.MultiplyAdd(a, Vector256.Load(row), s0); s1 = Fma.MultiplyAdd(a, Vector256.Load(row + 8), s1);
                    s2 = Fma.MultiplyAdd(a, Vector256.Load(row + 16), s2); s3 = Fma.MultiplyAdd(a, Vector256.Load(row + 24), s3);
                }
                else
                {
                    s0 += a * Vector256.Load(row); s1 += a * Vector256.Load(row + 8);
                    s2 += a * Vector256.Load(row + 16); s3 += a * Vector256.Load(row + 24);
                }
            }
            s0.Store(tile + i * NR); s1.Store(tile + i * NR + 8); s2.Store(tile + i * NR + 16); s3.Store(tile + i * NR + 24);
        }
        AddEdge(tile, c, ldc, mr, nr);
    }

    private static void AddEdge(float* tile, float* c, int ldc, int mr, int nr)
    {
        for (int i = 0; i < mr; i++)
            for (int j = 0; j < nr; j++)
                c[(long)i * ldc + j] += tile[i * NR + j];
    }
}
