// The right operand of a product that is reused many times (a recurrent weight, once per time step),
// packed into the kernels' micro-panels once instead of once per product.
namespace TextGen.Tensors.Kernels;

/// <summary>op(B) (k x n) packed depth block by depth block into the micro-panels <see cref="GemmDriver"/> streams.</summary>
internal sealed unsafe class PackedB
{
    private readonly float[] storage;
    private readonly float* data;
    private readonly int paddedN;

    /// <summary>Packs op(B): B is (k x n), or (n x k) when <paramref name="transB"/>.</summary>
    public PackedB(bool transB, ReadOnlySpan<float> b, int k, int n)
    {
        if (k < 1 || n < 1 || b.Length < (long)k * n) throw new ArgumentException($"packed operand: {b.Length} values do not fill {k} x {n}");
        K = k;
        N = n;
        paddedN = GemmDriver.RoundUp(n, GemmDriver.NR);
        storage = GC.AllocateUninitializedArray<float>(k * paddedN + 16, pinned: true);
        fixed (float* p = storage) data = (float*)(((nint)p + 63) & ~(nint)63);
        fixed (float* pb = b)
            for (int p0 = 0; p0 < k; p0 += GemmDriver.KC)
                GemmPacking.PackB(transB, pb, transB ? k : n, p0, Math.Min(GemmDriver.KC, k - p0), 0, n, Block(p0), GemmDriver.NR);
    }

    /// <summary>Depth of op(B).</summary>
    public int K { get; }

    /// <summary>Columns of op(B).</summary>
    public int N { get; }

    /// <summary>The panels of the depth block that starts at <paramref name="p0"/> (a multiple of <see cref="GemmDriver.KC"/>).</summary>
    public float* Block(int p0) => data + (long)p0 * paddedN;
}
