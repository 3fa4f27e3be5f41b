// The caching allocator over the fake driver: blocks are reused, a block freed twice is refused (it would be handed to two
// owners), threads never share a block, and running out of memory returns the cache before giving up. No GPU needed.
using TextGen.Cuda;
using Xunit;

namespace TextGen.Tests.Cuda;

public sealed class DeviceAllocatorTests : IDisposable
{
    private readonly FakeCudaApi api = new();
    private readonly DeviceAllocator allocator;

    public DeviceAllocatorTests() => allocator = new DeviceAllocator(api);

    public void Dispose()
    {
        allocator.Dispose();
        api.Dispose();
    }

    [Fact]
    public void A_returned_block_is_handed_out_again_without_asking_the_driver()
    {
        var a = allocator.Allocate<float>(1000);
        allocator.Free(a);
        var b = allocator.Allocate<float>(1000);

        Assert.Equal(a.Pointer, b.Pointer);
        Assert.Equal(1, allocator.DriverAllocations);
        Assert.Equal(DeviceAllocator.RoundSize(4000), allocator.BytesInUse);
    }

    [Fact]
    public void A_block_freed_twice_is_refused_so_two_later_owners_never_share_it()
    {
        var a = allocator.Allocate<float>(1000);
        allocator.Free(a);

        var e = Assert.Throws<InvalidOperationException>(() => allocator.Free(a));
        Assert.Contains("freed twice", e.Message);
        var b = allocator.Allocate<float>(1000);
        var c = allocator.Allocate<float>(1000);
        Assert.NotEqual(b.Pointer, c.Pointer);
        Assert.Throws<ArgumentException>(() => allocator.Free(new DeviceBuffer<float>(IntPtr.MaxValue, 1)));
    }

    [Fact]
    public void Threads_allocating_and_freeing_at_once_never_receive_the_same_block()
    {
        var owners = new System.Collections.Concurrent.ConcurrentDictionary<IntPtr, int>();
        int clashes = 0;
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, worker =>
        {
            for (int i = 0; i < 2000; i++)
            {
                var block = allocator.Allocate<byte>(512 * (1 + i % 3));
                if (!owners.TryAdd(block.Pointer, worker)) Interlocked.Increment(ref clashes);
                owners.TryRemove(block.Pointer, out _);
                allocator.Free(block);
            }
        });

        Assert.Equal(0, clashes);
        Assert.Equal(0, allocator.BytesInUse);
        Assert.True(allocator.DriverAllocations <= 8 * 3, $"{allocator.DriverAllocations} driver allocations for at most 24 live blocks");
    }

    [Fact]
    public void Out_of_memory_gives_the_cache_back_and_tries_once_more_then_says_what_to_reduce()
    {
        api.TotalBytes = 4 << 20;
        var cached = allocator.Allocate<byte>(3 << 20);
        allocator.Free(cached);

        var big = allocator.Allocate<byte>(5 << 18);   // 1.25 MiB, a 2 MiB block: fits only once the 3 MiB cached block is returned
        Assert.Equal(2 << 20, allocator.BytesReserved);
        Assert.Equal(2, allocator.DriverAllocations);

        var e = Assert.Throws<TextGen.Cuda.Interop.CudaException>(() => allocator.Allocate<byte>(3 << 20));
        Assert.Contains("out of GPU memory", e.Message);
        Assert.Contains("smaller batch", e.Message);
        allocator.Free(big);
    }
}
