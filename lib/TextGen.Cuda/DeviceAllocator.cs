// A caching device allocator: freed blocks go to a free list by rounded size and are handed out again, so that a
// training loop that needs the same buffers every step calls cuMemAlloc only on its first step.
using System.Numerics;
using TextGen.Cuda.Interop;

namespace TextGen.Cuda;

/// <summary>Hands out device memory and keeps returned blocks for reuse, like PyTorch's caching allocator in miniature.</summary>
/// <remarks>Reuse needs no synchronisation with the GPU because every kernel runs on the device's one stream, in order; the
/// bookkeeping takes a lock of its own, so engines on several threads never receive the same block.</remarks>
internal sealed class DeviceAllocator : IDisposable
{
    private const long MinimumBlock = 512;
    private readonly ICudaApi api;
    private readonly Dictionary<long, Stack<IntPtr>> free = new();
    private readonly Dictionary<IntPtr, long> sizes = new();   // every block held from the driver, with its rounded size
    private readonly HashSet<IntPtr> inUse = [];
    private readonly Lock gate = new();
    private bool disposed;

    public DeviceAllocator(ICudaApi api) => this.api = api;

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
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        long size = RoundSize(length * sizeof(T));
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            IntPtr pointer;
            if (free.TryGetValue(size, out var stack) && stack.Count > 0)
            {
                pointer = stack.Pop();
            }
            else
            {
                int status = api.cuMemAlloc(out pointer, (nuint)size);
                if (status == 2) // CUDA_ERROR_OUT_OF_MEMORY: give the cache back and try once more
                {
                    ReleaseCachedLocked();
                    status = api.cuMemAlloc(out pointer, (nuint)size);
                }
                if (status != 0)
                    throw new CudaException($"out of GPU memory allocating {size / (1024.0 * 1024):F1} MiB ({BytesInUse / (1024.0 * 1024):F0} MiB in use): {api.DescribeDriverStatus(status)}; use a smaller batch or sequence length");
                sizes[pointer] = size;
                BytesReserved += size;
                DriverAllocations++;
            }
            inUse.Add(pointer);
            BytesInUse += size;
            return new DeviceBuffer<T>(pointer, length);
        }
    }

    /// <summary>Returns a block to the cache; the default (null) buffer is ignored, a block freed twice is refused.</summary>
    public void Free<T>(DeviceBuffer<T> buffer) where T : unmanaged
    {
        if (buffer.Pointer == IntPtr.Zero) return;
        lock (gate)
        {
            if (disposed) return;
            if (!sizes.TryGetValue(buffer.Pointer, out long size))
                throw new ArgumentException("the buffer was not allocated by this allocator", nameof(buffer));
            // A second free would put the block on the free list twice, and two later allocations would share it.
            if (!inUse.Remove(buffer.Pointer))
                throw new InvalidOperationException($"device block 0x{buffer.Pointer:x} was freed twice: an owner kept a buffer it had already returned");
            if (!free.TryGetValue(size, out var stack)) free[size] = stack = new Stack<IntPtr>();
            stack.Push(buffer.Pointer);
            BytesInUse -= size;
        }
    }

    /// <summary>Gives every cached (free) block back to the driver.</summary>
    public void ReleaseCached()
    {
        lock (gate) ReleaseCachedLocked();
    }

    /// <summary>Free device memory as the driver reports it, plus the blocks held here for reuse.</summary>
    public long AvailableBytes()
    {
        var (freeBytes, _) = api.cuMemGetInfo();
        lock (gate) return freeBytes + BytesReserved - BytesInUse;
    }

    private void ReleaseCachedLocked()
    {
        foreach (var (size, stack) in free)
            while (stack.Count > 0)
            {
                var p = stack.Pop();
                int status = api.cuMemFree(p);
                if (status != 0) throw new CudaException("CUDA driver", "cuMemFree", status, api.DescribeDriverStatus(status));
                sizes.Remove(p);
                BytesReserved -= size;
            }
    }

    /// <summary>Frees every block, in use or cached.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            foreach (var p in sizes.Keys) api.cuMemFree(p);
            sizes.Clear();
            free.Clear();
            inUse.Clear();
        }
    }
}
