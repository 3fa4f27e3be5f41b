// A caching device allocator: freed blocks go to a free list by rounded size and are handed out again, so that a
// training loop that needs the same buffers every step calls cuMemAlloc only on its first step.
using System.Numerics;
using TextGen.Cuda.Interop;

namespace TextGen.Cuda;

/// <summary>Hands out device memory and keeps returned blocks for reuse, like PyTorch's caching allocator in miniature.</summary>
/// <remarks>Not thread-safe: the backend drives one stream from one thread. Reuse needs no synchronisation because
/// every kernel runs on that one stream, in order.</remarks>
public sealed class DeviceAllocator : IDisposable
{
    private const long MinimumBlock = 512;
    private readonly Dictionary<long, Stack<IntPtr>> free = new();
    private readonly Dictionary<IntPtr, long> sizes = new();
    private bool disposed;

    /// <summary>Bytes currently handed out.</summary>
    public long BytesInUse { get; private set; }

    /// <summary>Bytes held from the driver, in use or cached.</summary>
    public long BytesReserved { get; private set; }

    /// <summary>How many times the driver was asked for memory (stays flat once a loop reaches its steady state).</summary>
    public int DriverAllocations { get; private set; }

    /// <summary>The size a request is rounded to: 512-byte steps below 1 MiB, then 1/8 power-of-two steps, so blocks of near sizes are shared.</summary>
    public static long RoundSize(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (bytes <= MinimumBlock) return MinimumBlock;
        if (bytes <= 1 << 20) return (bytes + MinimumBlock - 1) / MinimumBlock * MinimumBlock;
        long step = Math.Max(1L << 20, (long)BitOperations.RoundUpToPowerOf2((ulong)bytes) / 8);
        return (bytes + step - 1) / step * step;
    }

    /// <summary>Allocates room for <paramref name="length"/> elements (content undefined).</summary>
    public unsafe DeviceBuffer<T> Allocate<T>(long length) where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        long size = RoundSize(length * sizeof(T));
        IntPtr pointer;
        if (free.TryGetValue(size, out var stack) && stack.Count > 0)
        {
            pointer = stack.Pop();
        }
        else
        {
            int status = CuDriver.cuMemAlloc(out pointer, (nuint)size);
            if (status == 2) // CUDA_ERROR_OUT_OF_MEMORY: give the cache back and try once more
            {
                ReleaseCached();
                status = CuDriver.cuMemAlloc(out pointer, (nuint)size);
            }
            if (status != 0)
                throw new CudaException($"out of GPU memory allocating {size / (1024.0 * 1024):F1} MiB ({BytesInUse / (1024.0 * 1024):F0} MiB in use): {CuDriver.Describe(status)}; use a smaller batch or sequence length");
            sizes[pointer] = size;
            BytesReserved += size;
            DriverAllocations++;
        }
        BytesInUse += size;
        return new DeviceBuffer<T>(pointer, length);
    }

    /// <summary>Returns a block to the cache; the default (null) buffer is ignored.</summary>
    public void Free<T>(DeviceBuffer<T> buffer) where T : unmanaged
    {
        if (buffer.Pointer == IntPtr.Zero || disposed) return;
        if (!sizes.TryGetValue(buffer.Pointer, out long size))
            throw new ArgumentException("the buffer was not allocated by this allocator", nameof(buffer));
        if (!free.TryGetValue(size, out var stack)) free[size] = stack = new Stack<IntPtr>();
        stack.Push(buffer.Pointer);
        BytesInUse -= size;
    }

    /// <summary>Gives every cached (free) block back to the driver.</summary>
    public void ReleaseCached()
    {
        foreach (var (size, stack) in free)
            while (stack.Count > 0)
            {
                var p = stack.Pop();
                CuDriver.Check(CuDriver.cuMemFree(p));
                sizes.Remove(p);
                BytesReserved -= size;
            }
    }

    /// <summary>Frees every block, in use or cached.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var p in sizes.Keys) CuDriver.cuMemFree(p);
        sizes.Clear();
        free.Clear();
    }
}
