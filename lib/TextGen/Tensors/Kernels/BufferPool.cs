// Reuse of the large scratch arrays of the fused layers: a training step asks for the same sizes
// every time, and allocating (and zeroing, and collecting) tens of megabytes per step costs more
// than the gate math. Arrays come back with stale contents: callers overwrite them fully.
using System.Collections.Concurrent;

namespace TextGen.Tensors.Kernels;

/// <summary>Exact-size pool of float arrays for per-step scratch buffers.</summary>
internal static class BufferPool
{
    private const int KeepPerSize = 6;
    private static readonly ConcurrentDictionary<int, ConcurrentBag<float[]>> Pools = new();

    /// <summary>An array of exactly <paramref name="length"/> elements, contents undefined.</summary>
    public static float[] Rent(int length)
    {
        if (length == 0) return [];
        return Pools.TryGetValue(length, out var bag) && bag.TryTake(out var a) ? a : GC.AllocateUninitializedArray<float>(length);
    }

    /// <summary>Gives arrays back for reuse; the caller must not touch them afterwards.</summary>
    public static void Return(params float[][] arrays)
    {
        foreach (var a in arrays)
        {
            if (a.Length == 0) continue;
            var bag = Pools.GetOrAdd(a.Length, _ => []);
            if (bag.Count < KeepPerSize) bag.Add(a);
        }
    }
}
