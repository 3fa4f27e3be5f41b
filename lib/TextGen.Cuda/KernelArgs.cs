// Kernel arguments packed without allocation: each value sits in an 8-byte slot and cuLaunchKernel receives the
// slots' addresses, which is the array of pointers the driver expects.
namespace TextGen.Cuda;

/// <summary>Up to 16 scalar or pointer kernel arguments, in the order the kernel declares them.</summary>
internal unsafe struct KernelArgs
{
    private const int Capacity = 16;
    private fixed ulong slots[Capacity];
    private int count;

    /// <summary>Number of arguments added.</summary>
    public readonly int Count => count;

    /// <summary>Appends a device pointer.</summary>
    public KernelArgs Add(IntPtr pointer) => Put((ulong)(long)pointer);

    /// <summary>Appends a 32-bit integer.</summary>
    public KernelArgs Add(int value) => Put((uint)value);

    /// <summary>Appends a 64-bit integer (<c>long long</c> in the kernel).</summary>
    public KernelArgs Add(long value) => Put((ulong)value);

    /// <summary>Appends an unsigned 64-bit integer (<c>unsigned long long</c> in the kernel).</summary>
    public KernelArgs Add(ulong value) => Put(value);

    /// <summary>Appends a 32-bit float.</summary>
    public KernelArgs Add(float value) => Put(BitConverter.SingleToUInt32Bits(value));

    // The slot is little-endian, so a 4-byte argument read from the slot's address is its low half.
    private KernelArgs Put(ulong bits)
    {
        if (count == Capacity) throw new InvalidOperationException($"a kernel takes at most {Capacity} arguments here");
        slots[count++] = bits;
        return this;
    }

    /// <summary>Launches <paramref name="function"/> with these arguments on the device's stream; the slots stay pinned for the call.</summary>
    public void Launch(CudaDevice device, IntPtr function, (uint X, uint Y) grid, (uint X, uint Y) block)
    {
        void** pointers = stackalloc void*[Capacity];
        fixed (ulong* s = slots)
        {
            for (int i = 0; i < count; i++) pointers[i] = s + i;
            device.Api.cuLaunchKernel(function, grid, block, 0, device.Stream, pointers);
        }
    }
}
