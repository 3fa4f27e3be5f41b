// A typed view of device memory handed out by the caching allocator: a pointer, an element count, and
// copies to and from host spans on the backend's stream.
using TextGen.Cuda.Interop;

namespace TextGen.Cuda;

/// <summary>A block of device memory holding <see cref="Length"/> elements of <typeparamref name="T"/>, owned by a <see cref="DeviceAllocator"/>.</summary>
public readonly record struct DeviceBuffer<T>(IntPtr Pointer, long Length) where T : unmanaged
{
    /// <summary>Size in bytes.</summary>
    public unsafe long Bytes => Length * sizeof(T);

    /// <summary>The address of element <paramref name="index"/>, for passing sub-ranges to kernels and libraries.</summary>
    public unsafe IntPtr At(long index) => Pointer + (nint)(index * sizeof(T));

    /// <summary>Copies <paramref name="source"/> into the buffer starting at element <paramref name="offset"/>, ordered on <paramref name="stream"/>.</summary>
    /// <remarks>From pageable memory the driver stages the data before returning, so the span may be reused at once.</remarks>
    public unsafe void CopyFrom(ReadOnlySpan<T> source, IntPtr stream, long offset = 0)
    {
        if (offset < 0 || offset + source.Length > Length)
            throw new ArgumentOutOfRangeException(nameof(source), $"copying {source.Length} elements at {offset} overruns a device buffer of {Length}");
        if (source.IsEmpty) return;
        fixed (T* p = source)
            CuDriver.Check(CuDriver.cuMemcpyHtoDAsync(At(offset), p, (nuint)(source.Length * sizeof(T)), stream));
    }

    /// <summary>Copies elements starting at <paramref name="offset"/> into <paramref name="destination"/>, waiting for the stream's earlier work.</summary>
    public unsafe void CopyTo(Span<T> destination, IntPtr stream, long offset = 0)
    {
        if (offset < 0 || offset + destination.Length > Length)
            throw new ArgumentOutOfRangeException(nameof(destination), $"reading {destination.Length} elements at {offset} overruns a device buffer of {Length}");
        if (destination.IsEmpty) return;
        fixed (T* p = destination)
        {
            CuDriver.Check(CuDriver.cuMemcpyDtoHAsync(p, At(offset), (nuint)(destination.Length * sizeof(T)), stream));
            CuDriver.Check(CuDriver.cuStreamSynchronize(stream));
        }
    }

    /// <summary>Sets <paramref name="count"/> 4-byte words from element <paramref name="offset"/> to <paramref name="bits"/> (0 gives 0.0f and 0).</summary>
    public unsafe void Fill(uint bits, IntPtr stream, long offset = 0, long count = -1)
    {
        if (sizeof(T) != 4) throw new InvalidOperationException("Fill works on 4-byte elements only");
        long n = count < 0 ? Length - offset : count;
        if (n > 0) CuDriver.Check(CuDriver.cuMemsetD32Async(At(offset), bits, (nuint)n, stream));
    }
}
