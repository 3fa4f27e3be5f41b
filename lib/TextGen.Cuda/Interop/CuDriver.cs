// P/Invoke bindings to the CUDA driver API (libcuda): device query, primary context, stream, memory, modules, launches.
// Memory entry points are the _v2 ones, which are the names the driver exports for 64-bit sizes.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TextGen.Cuda.Interop;

/// <summary>The CUDA driver API calls the backend uses; every status goes through <see cref="Check"/>.</summary>
internal static unsafe partial class CuDriver
{
    private const string Lib = NativeLibraries.Driver;

    public const int AttributeMultiprocessorCount = 16;
    public const int AttributeComputeCapabilityMajor = 75;
    public const int AttributeComputeCapabilityMinor = 76;

    static CuDriver() => NativeLibraries.EnsureRegistered();

    [LibraryImport(Lib)] public static partial int cuInit(uint flags);
    [LibraryImport(Lib)] public static partial int cuDriverGetVersion(out int version);
    [LibraryImport(Lib)] public static partial int cuDeviceGetCount(out int count);
    [LibraryImport(Lib)] public static partial int cuDeviceGet(out int device, int ordinal);
    [LibraryImport(Lib)] public static partial int cuDeviceGetName(byte* name, int length, int device);
    [LibraryImport(Lib)] public static partial int cuDeviceGetAttribute(out int value, int attribute, int device);
    [LibraryImport(Lib, EntryPoint = "cuDeviceTotalMem_v2")] public static partial int cuDeviceTotalMem(out nuint bytes, int device);
    [LibraryImport(Lib)] public static partial int cuDevicePrimaryCtxRetain(out IntPtr context, int device);
    [LibraryImport(Lib)] public static partial int cuCtxSetCurrent(IntPtr context);
    [LibraryImport(Lib)] public static partial int cuStreamCreate(out IntPtr stream, uint flags);
    [LibraryImport(Lib)] public static partial int cuStreamSynchronize(IntPtr stream);
    [LibraryImport(Lib, EntryPoint = "cuMemAlloc_v2")] public static partial int cuMemAlloc(out IntPtr pointer, nuint bytes);
    [LibraryImport(Lib, EntryPoint = "cuMemFree_v2")] public static partial int cuMemFree(IntPtr pointer);
    [LibraryImport(Lib, EntryPoint = "cuMemGetInfo_v2")] public static partial int cuMemGetInfo(out nuint free, out nuint total);
    [LibraryImport(Lib, EntryPoint = "cuMemcpyHtoDAsync_v2")] public static partial int cuMemcpyHtoDAsync(IntPtr destination, void* source, nuint bytes, IntPtr stream);
    [LibraryImport(Lib, EntryPoint = "cuMemcpyDtoHAsync_v2")] public static partial int cuMemcpyDtoHAsync(void* destination, IntPtr source, nuint bytes, IntPtr stream);
    [LibraryImport(Lib, EntryPoint = "cuMemcpyDtoDAsync_v2")] public static partial int cuMemcpyDtoDAsync(IntPtr destination, IntPtr source, nuint bytes, IntPtr stream);
    [LibraryImport(Lib)] public static partial int cuMemsetD32Async(IntPtr destination, uint value, nuint count, IntPtr stream);
    [LibraryImport(Lib)] public static partial int cuModuleLoadData(out IntPtr module, byte* image);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial int cuModuleGetFunction(out IntPtr function, IntPtr module, string name);
    [LibraryImport(Lib)]
    public static partial int cuLaunchKernel(IntPtr function, uint gridX, uint gridY, uint gridZ, uint blockX, uint blockY, uint blockZ,
        uint sharedBytes, IntPtr stream, void** parameters, void** extra);
    [LibraryImport(Lib)] public static partial int cuGetErrorName(int status, out IntPtr name);
    [LibraryImport(Lib)] public static partial int cuGetErrorString(int status, out IntPtr text);

    /// <summary>Throws <see cref="CudaException"/> naming the call and the driver's error text when <paramref name="status"/> is not CUDA_SUCCESS.</summary>
    public static void Check(int status, [CallerArgumentExpression(nameof(status))] string call = "")
    {
        if (status != 0) throw new CudaException("CUDA driver", call, status, Describe(status));
    }

    /// <summary>The driver's name and description of a status, e.g. <c>CUDA_ERROR_OUT_OF_MEMORY: out of memory</c>.</summary>
    public static string Describe(int status)
    {
        string name = cuGetErrorName(status, out var n) == 0 ? Marshal.PtrToStringAnsi(n) ?? "?" : "unknown status";
        string text = cuGetErrorString(status, out var t) == 0 ? Marshal.PtrToStringAnsi(t) ?? "" : "";
        return text.Length == 0 ? name : $"{name}: {text}";
    }
}
