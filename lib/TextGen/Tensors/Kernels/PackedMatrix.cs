// A weight matrix laid out for batch-1 products y = W x, the whole of a generation step's arithmetic. Rows are
// grouped in blocks of one vector's lanes and each block is stored column by column, so every weight vector
// meets a broadcast x[k] in one fused multiply-add and the block's 8 or 16 outputs come out as one vector:
// no horizontal sums, and four blocks run side by side to keep both load ports busy. The blocks can be
// listed in any order, so a caller can give each thread the rows of its own hidden units.
using System.Runtime.CompilerServices;

namespace TextGen.Tensors.Kernels;

/// <summary>A contiguous run of rows of the source matrix that fills one block.</summary>
internal readonly record struct RowBlock(int Row, int Count);

/// <summary>A copy of a row-major matrix packed for y = W x one block of rows at a time; each output is summed over k in order.</summary>
internal sealed unsafe class PackedMatrix
{
    private readonly float[] storage;
    private readonly float* packed;
    private readonly RowBlock[] blocks;

    /// <summary>
    /// Packs the rows of <paramref name="w"/> (rows x <paramref name="columns"/>, row-major) named by <paramref name="blocks"/>,
    /// in that order, in blocks of <paramref name="lanes"/> rows (by default the width this CPU runs at full speed).
    /// </summary>
    public PackedMatrix(ReadOnlySpan<float> w, int columns, IEnumerable<RowBlock> blocks, int? lanes = null)
    {
        Columns = columns;
        Lanes = lanes ?? Kernels.Lanes.Width;
        // 16 lanes run on any CPU (Vector512 is two 8-lane halves without AVX-512, with the same roundings), so an AVX2
        // machine can test the product an AVX-512 machine runs; the default is the width this CPU runs at full speed.
        if (Lanes is not (8 or 16)) throw new ArgumentException($"packed matrix: {Lanes} lanes; use 8 or 16");
        this.blocks = blocks.ToArray();
        foreach (var b in this.blocks)
            if (b.Count < 1 || b.Count > Lanes || b.Row < 0 || (long)(b.Row + b.Count) * columns > w.Length)
                throw new ArgumentException($"packed matrix: block of rows {b.Row}..{b.Row + b.Count - 1} does not fit a {w.Length / Math.Max(1, columns)} x {columns} matrix in {Lanes}-row blocks");
        long length = (long)this.blocks.Length * columns * Lanes;
        storage = GC.AllocateArray<float>((int)length + 16, pinned: true);
        packed = (float*)(((nint)Unsafe.AsPointer(ref storage[0]) + 63) & ~(nint)63);
        for (int i = 0; i < this.blocks.Length; i++)
        {
            var (row, count) = this.blocks[i];
            float* block = packed + (long)i * columns * Lanes;
            for (int r = 0; r < count; r++)
                for (int k = 0; k < columns; k++)
                    block[(long)k * Lanes + r] = w[(row + r) * columns + k];
        }
    }

    /// <summary>Length of x.</summary>
    public int Columns { get; }

    /// <summary>Rows per block: the vector width this CPU runs at full speed.</summary>
    public int Lanes { get; }

    /// <summary>Number of blocks, in packing order.</summary>
    public int BlockCount => blocks.Length;

    /// <summary>Consecutive blocks of at most <paramref name="lanes"/> rows covering rows [start, start + count).</summary>
    public static IEnumerable<RowBlock> Chunks(int start, int count, int lanes)
    {
        for (int r = 0; r < count; r += lanes) yield return new RowBlock(start + r, Math.Min(lanes, count - r));
    }

    /// <summary>
    /// For blocks [<paramref name="b0"/>, <paramref name="b1"/>): y[row] = sum_k W[row, k] x[k] (+ bias[row] when
    /// <paramref name="bias"/> is not null), written at each row's own index in y.
    /// </summary>
    public void Multiply(float* x, float* y, float* bias, int b0, int b1)
    {
        if (Lanes == 16) Run<Lanes16>(x, y, bias, b0, b1);
        else Run<Lanes8>(x, y, bias, b0, b1);
    }

    private void Run<V>(float* x, float* y, float* bias, int b0, int b1) where V : struct, IFloatLanes<V>
    {
        int n = Columns, lanes = V.Count;
        long stride = (long)n * lanes;
        int b = b0;
        // The sums leave registers through this scratch, not through calls, which would make the JIT spill them inside the loop.
        float* sums = stackalloc float[4 * 16];
        // Four blocks at once share each broadcast of x[k]; a block's sum runs over k in the same order either way.
        for (; b + 4 <= b1; b += 4)
        {
            float* w0 = packed + b * stride, w1 = w0 + stride, w2 = w1 + stride, w3 = w2 + stride;
            V a0 = V.Create(0f), a1 = a0, a2 = a0, a3 = a0;
            for (int k = 0; k < n; k++)
            {
                var xk = V.Create(x[k]);
                nuint at = (nuint)((long)k * lanes);
                a0 = V.MultiplyAdd(xk, V.Load(ref *w0, at), a0);
                a1 = V.MultiplyAdd(xk, V.Load(ref *w1, at), a1);
                a2 = V.MultiplyAdd(xk, V.Load(ref *w2, at), a2);
                a3 = V.MultiplyAdd(xk, V.Load(ref *w3, at), a3);
            }
            a0.Store(ref sums[0], 0); a1.Store(ref sums[16], 0); a2.Store(ref sums[32], 0); a3.Store(ref sums[48], 0);
            for (int i = 0; i < 4; i++) Write(sums + 16 * i, blocks[b + i], y, bias);
        }
        // A pair, then a single block: a lone accumulator waits on its own fused multiply-add, four cycles per k.
        if (b + 2 <= b1)
        {
            float* w0 = packed + b * stride, w1 = w0 + stride;
            V a0 = V.Create(0f), a1 = a0;
            for (int k = 0; k < n; k++)
            {
                var xk = V.Create(x[k]);
                nuint at = (nuint)((long)k * lanes);
                a0 = V.MultiplyAdd(xk, V.Load(ref *w0, at), a0);
                a1 = V.MultiplyAdd(xk, V.Load(ref *w1, at), a1);
            }
            a0.Store(ref sums[0], 0); a1.Store(ref sums[16], 0);
            Write(sums, blocks[b], y, bias);
            Write(sums + 16, blocks[b + 1], y, bias);
            b += 2;
        }
        for (; b < b1; b++)
        {
            float* w = packed + b * stride;
            var a = V.Create(0f);
            for (int k = 0; k < n; k++) a = V.MultiplyAdd(V.Create(x[k]), V.Load(ref *w, (nuint)((long)k * lanes)), a);
            a.Store(ref sums[0], 0);
            Write(sums, blocks[b], y, bias);
        }
    }

    private static void Write(float* sum, RowBlock block, float* y, float* bias)
    {
        float* to = y + block.Row;
        if (bias == null) for (int r = 0; r < block.Count; r++) to[r] = sum[r];
        else
        {
            float* add = bias + block.Row;
            for (int r = 0; r < block.Count; r++) to[r] = sum[r] + add[r];
        }
    }
}
