// Cache-blocked loops of the matrix product over one rectangle of C (GotoBLAS/BLIS layering):
// an A block in L3, a B block in L2, an A micro-panel in L1, and a C tile in registers.
using System.Runtime.Intrinsics;

namespace TextGen.Tensors.Kernels;

/// <summary>The operands of one product, as raw pointers with their leading dimensions.</summary>
internal unsafe struct GemmArgs
{
    public float* A, B, C;
    public int M, N, K, Lda, Ldb, Ldc;
    public bool TransA, TransB, Accumulate;
}

/// <summary>Runs the blocked product for a rectangle of C on the calling thread, with per-thread packing buffers.</summary>
internal static unsafe class GemmDriver
{
    /// <summary>Depth of one block: an 8 x 256 A micro-panel (8 KiB) stays in L1 while B panels stream past it.</summary>
    public const int KC = 256;

    /// <summary>Columns of one packed B block: 256 x 512 floats (512 KiB) fit the 1 MiB L2 with room to spare.</summary>
    public const int NC = 512;

    /// <summary>Rows of one packed A block (2 MiB, shared L3); B is repacked once per block of this many rows.</summary>
    public const int MC = 512;

    /// <summary>True when the 512-bit kernel is used (AVX-512); else the 256-bit one.</summary>
    public static readonly bool Wide = Lanes.Wide;

    /// <summary>Rows of the register tile.</summary>
    public static readonly int MR = Wide ? 8 : 6;

    /// <summary>Columns of the register tile.</summary>
    public static readonly int NR = Wide ? 32 : 16;

    [ThreadStatic] private static PackBuffers? buffers;

    /// <summary>Computes rows [r0, r1) and columns [c0, c1) of C; other threads may own the other rectangles.</summary>
    public static void Run(in GemmArgs g, int r0, int r1, int c0, int c1)
    {
        int mr = MR, nr = NR, k = g.K;
        // PackA pads a block to whole micro-panels; MC is not a multiple of the 256-bit kernel's 6 rows, so round after the cap.
        int mcMax = RoundUp(Math.Min(MC, r1 - r0), mr), ncMax = Math.Min(NC, RoundUp(c1 - c0, nr)), kcMax = Math.Min(KC, k);
        var buf = buffers ??= new PackBuffers();
        float* ap = buf.A(mcMax * kcMax), bp = buf.B(kcMax * ncMax);
        float* tile = stackalloc float[8 * 32];
        for (int i3 = r0; i3 < r1; i3 += MC)
        {
            int mc = Math.Min(MC, r1 - i3);
            for (int p0 = 0; p0 < k; p0 += KC)
            {
                int kc = Math.Min(KC, k - p0);
                // The first depth block overwrites C unless the caller asked to accumulate.
                bool add = g.Accumulate || p0 > 0;
                GemmPacking.PackA(g.TransA, g.A, g.Lda, i3, mc, p0, kc, ap, mr, (long)mcMax * kcMax);
                for (int j2 = c0; j2 < c1; j2 += NC)
                {
                    int nc = Math.Min(NC, c1 - j2);
                    GemmPacking.PackB(g.TransB, g.B, g.Ldb, p0, kc, j2, nc, bp, nr);
                    MacroKernel(g, ap, bp, tile, i3, mc, j2, nc, kc, add);
                }
            }
        }
    }

    private static void MacroKernel(in GemmArgs g, float* ap, float* bp, float* tile, int i3, int mc, int j2, int nc, int kc, bool add)
    {
        int mr = MR, nr = NR;
        long ldc = g.Ldc;
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            float* aPanel = ap + (long)ir * kc;
            float* cRow = g.C + (i3 + ir) * ldc + j2;
            for (int jr = 0; jr < nc; jr += nr)
                Tile(kc, aPanel, bp + (long)jr * kc, cRow + jr, ldc, rows, Math.Min(nr, nc - jr), tile, add);
        }
    }

    /// <summary>One register tile of C (rows x cols, at most MR x NR) from an A and a B micro-panel.</summary>
    private static void Tile(int kc, float* aPanel, float* bPanel, float* c, long ldc, int rows, int cols, float* tile, bool add)
    {
        int nr = NR;
        if (rows == MR && cols == nr)
        {
            Kernel(kc, aPanel, bPanel, c, (nint)ldc, add);
            return;
        }
        // Edge tile: the full kernel writes a scratch tile, and only the valid part reaches C.
        // A ragged last column panel of at most 16 skips the half of the wide kernel that would be padding.
        if (Wide && cols <= 16) GemmKernels.Kernel8x16(kc, aPanel, bPanel, tile, nr, false);
        else Kernel(kc, aPanel, bPanel, tile, nr, false);
        for (int i = 0; i < rows; i++)
        {
            float* ci = c + i * ldc;
            float* t = tile + i * nr;
            if (add) for (int j = 0; j < cols; j++) ci[j] += t[j];
            else for (int j = 0; j < cols; j++) ci[j] = t[j];
        }
    }

    /// <summary>
    /// C (m x b.N, leading dimension <paramref name="ldc"/>) = A B, or += with <paramref name="accumulate"/>, on the
    /// calling thread, for A (m x b.K) row-major with leading dimension <paramref name="lda"/> and B packed once by
    /// <see cref="PackedB"/>. Each element is summed in the same order as <see cref="Run"/> sums it.
    /// </summary>
    public static void RunPacked(float* a, int lda, int m, PackedB b, float* c, int ldc, bool accumulate)
    {
        int mr = MR, nr = NR, k = b.K, n = b.N;
        var buf = buffers ??= new PackBuffers();
        float* tile = stackalloc float[8 * 32];
        for (int i3 = 0; i3 < m; i3 += MC)
        {
            int mc = Math.Min(MC, m - i3);
            int aLength = RoundUp(mc, mr) * Math.Min(KC, k);
            float* ap = buf.A(aLength);
            for (int p0 = 0; p0 < k; p0 += KC)
            {
                int kc = Math.Min(KC, k - p0);
                bool add = accumulate || p0 > 0;
                GemmPacking.PackA(false, a, lda, i3, mc, p0, kc, ap, mr, aLength);
                float* bBlock = b.Block(p0);
                // Few rows: each B micro-panel is loaded into L1 once and met by every A micro-panel.
                for (int jr = 0; jr < n; jr += nr)
                {
                    float* bPanel = bBlock + (long)jr * kc;
                    int cols = Math.Min(nr, n - jr);
                    for (int ir = 0; ir < mc; ir += mr)
                        Tile(kc, ap + (long)ir * kc, bPanel, c + (long)(i3 + ir) * ldc + jr, ldc, Math.Min(mr, mc - ir), cols, tile, add);
                }
            }
        }
    }

    private static void Kernel(int kc, float* a, float* b, float* c, nint ldc, bool add)
    {
        if (Wide) GemmKernels.Kernel8x32(kc, a, b, c, ldc, add);
        else GemmKernels.Kernel6x16(kc, a, b, c, ldc, add);
    }

    internal static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;

    /// <summary>One thread's packing space, on the pinned heap and aligned to 64 bytes; grows, never shrinks.</summary>
    private sealed class PackBuffers
    {
        private float[] a = [], b = [];
        private float* aPtr, bPtr;

        public float* A(int length) => Ensure(ref a, ref aPtr, length);

        public float* B(int length) => Ensure(ref b, ref bPtr, length);

        private static float* Ensure(ref float[] array, ref float* aligned, int length)
        {
            if (array.Length >= length + 16) return aligned;
            array = GC.AllocateUninitializedArray<float>(length + 16, pinned: true);
            fixed (float* p = array)
                aligned = (float*)(((nint)p + 63) & ~(nint)63);
            return aligned;
        }
    }
}
