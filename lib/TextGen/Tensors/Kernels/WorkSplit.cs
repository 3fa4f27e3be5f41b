// Independent items split between two threads. Each item is computed the same way whichever half holds
// it, so no result depends on the thread count.
namespace TextGen.Tensors.Kernels;

/// <summary>Runs a loop body over two halves of a range, on two threads when allowed.</summary>
internal static class WorkSplit
{
    /// <summary>
    /// Calls <paramref name="body"/>(start, end) over [0, <paramref name="count"/>): in two parts on two threads, the first
    /// a multiple of <paramref name="multiple"/> items, when <paramref name="worthIt"/> and <see cref="Blas.MaxThreads"/> allow;
    /// else once over the whole range on the calling thread.
    /// </summary>
    public static void InTwo(int count, int multiple, bool worthIt, Action<int, int> body)
    {
        int half = count / (2 * multiple) * multiple;
        if (!worthIt || Blas.MaxThreads < 2 || half == 0) body(0, count);
        else Parallel.Invoke(() => body(0, half), () => body(half, count));
    }
}
