// A right-hand operand packed once into the micro-kernel's panel layout, for products that reuse it
// many times: the recurrent weights are multiplied once per time step, so packing them every step
// would cost as much as the product itself.
using System.Runtime.InteropServices;

namespace TextGen.Tensors;

/// <summary>op(B) (k x n) in packed panels: for each depth block of KC rows, ceil(n/NR) panels of KC x NR, zero-padded.</summary>
public sealed unsafe class PackedMatrix : IDisposable
{
    private float* data;

    /// <summary>Packs op(B): B is (k x n), or (n x k) used transposed when <paramref name="transB"/>.</summary>
    public PackedMatrix(bool transB, int k, int n, ReadOnlySpan<float> b)
    {
        if (k < 1 || n < 1) throw new ArgumentOutOfRangeException(nameof(k), $"packed matrix: sizes ({k}, {n}) must be positive");
        if (b.Length < (long)k * n) throw new ArgumentException($"packed matrix: B has {b.Length} elements, needs {(long)k * n}");
        K = k;
        N = n;
        PaddedN = (n + GemmKernel.NR - 1) / GemmKernel.NR * GemmKernel.NR;
        data = (float*)NativeMemory.AlignedAlloc((nuint)((long)K * PaddedN * sizeof(float)), 64);
        fixed (float* pb = b)
            for (int pc = 0; pc < k; pc += GemmKernel.KC)
            {
                int kc = Math.Min(GemmKernel.KC, k - pc);
                GemmKernel.PackB(transB, pb, transB ? k : n, pc, 0, kc, n, data + (long)pc * PaddedN);
            }
    }

    /// <summary>Depth (rows of op(B)).</summary>
    public int K { get; }

    /// <summary>Columns of op(B).</summary>
    public int N { get; }

    internal int PaddedN { get; }

    /// <summary>Panel of columns [j, j + NR) in the depth block starting at <paramref name="pc"/>.</summary>
    internal float* Panel(int pc, int j, int kc) => data + (long)pc * PaddedN + (long)j * kc;

    /// <summary>Frees the native buffer.</summary>
    public void Dispose()
    {
        if (data != null) NativeMemory.AlignedFree(data);
        data = null;
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the buffer if <see cref="Dispose"/> was not called.</summary>
    ~PackedMatrix() => Dispose();
}
