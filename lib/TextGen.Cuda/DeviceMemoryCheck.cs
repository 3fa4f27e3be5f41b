// Device memory is checked before a training shape allocates anything, so a model or batch that cannot fit
// fails at once with the numbers and what to reduce, not with an out-of-memory error in the middle of a step.
namespace TextGen.Cuda;

/// <summary>Compares what a piece of GPU training is about to allocate with the device memory still available.</summary>
internal static class DeviceMemoryCheck
{
    /// <summary>
    /// Throws <see cref="InsufficientMemoryException"/> when the parts together exceed <paramref name="availableBytes"/>,
    /// naming each part, the total, what is available and what to reduce.
    /// </summary>
    public static void EnsureFits(string what, IReadOnlyList<(string Part, long Bytes)> parts, long availableBytes)
    {
        long total = parts.Sum(p => p.Bytes);
        if (total <= availableBytes) return;
        var detail = string.Join(", ", parts.Where(p => p.Bytes > 0).Select(p => $"{p.Part} {Gib(p.Bytes)}"));
        throw new InsufficientMemoryException(
            $"{what} needs about {Gib(total)} of GPU memory ({detail}) but only {Gib(availableBytes)} is free on the device: " +
            "lower --batch, --seq-len, --hidden or --layers, or train on the CPU with --device cpu");
    }

    private static string Gib(long bytes) => $"{bytes / (1024.0 * 1024 * 1024):F2} GiB";
}
