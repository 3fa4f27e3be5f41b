// What the CUDA probe found: the driver, the first GPU and each NVIDIA library, with one message that says what is
// missing when the backend cannot run here.
using System.Text;
using TextGen.Cuda.Interop;

namespace TextGen.Cuda;

/// <summary>One NVIDIA library as the probe found it: loaded from <see cref="Path"/> with <see cref="Version"/>, or not, and why.</summary>
/// <param name="Name">Logical name: <c>cuda</c>, <c>nvrtc</c>, <c>cublas</c> or <c>cudnn</c>.</param>
/// <param name="Found">Whether a file could be loaded.</param>
/// <param name="Path">The file that loaded, or null.</param>
/// <param name="Version">The version the library reports (e.g. <c>12.8</c>), or null.</param>
/// <param name="Reason">Why it was not found, or null when it was.</param>
public sealed record CudaLibraryStatus(string Name, bool Found, string? Path, string? Version, string? Reason);

/// <summary>The result of <see cref="CudaProbe.Check"/>: whether CUDA can be used, and if not, what is missing.</summary>
/// <param name="DriverFound">Whether the driver library loaded and initialised.</param>
/// <param name="DriverVersion">The CUDA version the driver supports, e.g. <c>13.0</c>, or null.</param>
/// <param name="DeviceCount">Number of visible GPUs.</param>
/// <param name="DeviceName">Name of GPU 0, or null.</param>
/// <param name="ComputeCapability">Compute capability of GPU 0 as (major, minor), or null.</param>
/// <param name="TotalMemoryBytes">Memory of GPU 0 in bytes, or 0.</param>
/// <param name="Libraries">Each library the backend needs, in the order driver, NVRTC, cuBLAS, cuDNN.</param>
/// <param name="Problems">What stops the backend, one line each; empty when it can run.</param>
/// <param name="LibrarySet">The one set of NVRTC, cuBLAS and cuDNN found (explicit path, CUDA toolkit or PyTorch's wheels), or null.</param>
public sealed record CudaProbeReport(
    bool DriverFound,
    string? DriverVersion,
    int DeviceCount,
    string? DeviceName,
    (int Major, int Minor)? ComputeCapability,
    long TotalMemoryBytes,
    IReadOnlyList<CudaLibraryStatus> Libraries,
    IReadOnlyList<string> Problems,
    CudaLibrarySet? LibrarySet = null)
{
    /// <summary>True when nothing is missing and the backend can run on GPU 0.</summary>
    public bool IsUsable => Problems.Count == 0;

    /// <summary>Throws <see cref="CudaUnavailableException"/> with one message naming everything missing, when the backend cannot run.</summary>
    public void ThrowIfUnusable()
    {
        if (IsUsable) return;
        throw new CudaUnavailableException(
            $"CUDA was requested but cannot be used on this machine: {string.Join("; ", Problems)}. " +
            $"Use the CPU device (--device cpu), or install what is missing; {NativeLibraries.PathVariable} names the folders of one complete set when they are elsewhere.");
    }

    /// <summary>A human-readable multi-line report, as <c>textgen doctor</c> prints it.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(DriverFound ? $"driver: CUDA {DriverVersion}, {DeviceCount} device(s)" : "driver: not found");
        if (DeviceName is not null)
            text.AppendLine($"device 0: {DeviceName}, compute capability {ComputeCapability?.Major}.{ComputeCapability?.Minor}, {TotalMemoryBytes / (1024.0 * 1024 * 1024):F1} GiB");
        text.AppendLine(LibrarySet is { } set ? $"libraries: {set}" : "libraries: no complete set found");
        foreach (var lib in Libraries)
            text.AppendLine(lib.Found ? $"{lib.Name}: {lib.Version} ({lib.Path})" : $"{lib.Name}: missing ({lib.Reason})");
        text.Append(IsUsable ? "CUDA backend: usable" : "CUDA backend: unusable: " + string.Join("; ", Problems));
        return text.ToString();
    }
}
