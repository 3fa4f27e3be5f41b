// A typed view of device memory handed out by the caching allocator: a pointer, an element count, and copies to and
// from host spans on the device's stream, through its native seam.
namespace TextGen.Cuda;

/// <summary>A block of device memory holding <see cref="Length"/> elements of <typeparamref name="T"/>, owned by a <see cref="DeviceAllocator"/>.</summary>
internal readonly record struct DeviceBuffer<T>(IntPtr Pointer, long Length) where T : unmanaged
{
    /// <summary>Size in bytes.</summary>
    public unsafe long Bytes => Length * sizeof(T);

    /// <summary>The address of element <paramref name="index"/>, for passing sub-ranges to kernels and libraries.</summary>
    public unsafe IntPtr At(long index) => Pointer + (nint)(index * sizeof(T));

    /// <summary>Copies <paramref name="source"/> into the buffer starting at element <paramref name="offset"/>, ordered on the device's stream.</summary>
    /// <remarks>From pageable memory the driver stages the data before returning, so the span may be reused at once.</remarks>
    public unsafe void CopyFrom(CudaDevice device, ReadOnlySpan<T> source, long offset = 0)
    {
        if (offset < 0 || offset + source.Length > Length)
            throw new ArgumentOutOfRangeException(nameof(source), $"copying {source.Length} elements at {offset} overruns a device buffer of {Length}");
        if (source.IsEmpty) return;
        fixed (T* p = source)
            device.Api.cuMemcpyHtoDAsync(At(offset), p, (nuint)(source.Length * sizeof(T)), device.Stream);
    }

    /// <summary>Copies elements starting at <paramref name="offset"/> into <paramref name="destination"/>, waiting for the stream's earlier work.</summary>
    public unsafe void CopyTo(CudaDevice device, Span<T> destination, long offset = 0)
    {
        if (offset < 0 || offset + destination.Length > Length)
            throw new ArgumentOutOfRangeException(nameof(destination), $"reading {destination.Length} elements at {offset} overruns a device buffer of {Length}");
        if (destination.IsEmpty) return;
        fixed (T* p = destination)
        {
            device.Api.cuMemcpyDtoHAsync(p, At(offset), (nuint)(destination.Length * sizeof(T)), device.Stream);
            device.Synchronize();
        }
    }

    /// <summary>Copies <paramref name="count"/> elements from <paramref name="source"/> at <paramref name="sourceOffset"/> to element <paramref name="offset"/>, on the stream.</summary>
    public unsafe void CopyFrom(CudaDevice device, DeviceBuffer<T> source, long sourceOffset, long offset, long count)
    {
        if (offset < 0 || offset + count > Length || sourceOffset < 0 || sourceOffset + count > source.Length)
            throw new ArgumentOutOfRangeException(nameof(count), $"copying {count} elements from {sourceOffset} to {offset} overruns a device buffer ({source.Length} and {Length})");
        if (count > 0) device.Api.cuMemcpyDtoDAsync(At(offset), source.At(sourceOffset), (nuint)(count * sizeof(T)), device.Stream);
    }

    /// <summary>Sets <paramref name="count"/> 4-byte words from element <paramref name="offset"/> to <paramref name="bits"/> (0 gives 0.0f and 0).</summary>
    public unsafe void Fill(CudaDevice device, uint bits, long offset = 0, long count = -1)
    {
        if (sizeof(T) != 4) throw new InvalidOperationException("Fill works on 4-byte elements only");
        long n = count < 0 ? Length - offset : count;
        if (offset < 0 || offset + n > Length) throw new ArgumentOutOfRangeException(nameof(count), $"filling {n} elements at {offset} overruns a device buffer of {Length}");
        if (n > 0) device.Api.cuMemsetD32Async(At(offset), bits, (nuint)n, device.Stream);
    }
}
