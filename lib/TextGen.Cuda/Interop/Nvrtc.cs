// P/Invoke bindings to NVRTC, the run-time CUDA C++ compiler that turns our embedded kernel source into a cubin
// for the device's own architecture, once per process.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TextGen.Cuda.Interop;

/// <summary>The NVRTC calls the backend uses; every status goes through <see cref="Check"/>.</summary>
internal static unsafe partial class Nvrtc
{
    private const string Lib = NativeLibraries.Nvrtc;

    static Nvrtc() => NativeLibraries.EnsureRegistered();

    [LibraryImport(Lib)] public static partial int nvrtcVersion(out int major, out int minor);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int nvrtcCreateProgram(out IntPtr program, string source, string name, int headerCount, IntPtr headers, IntPtr includeNames);
    [LibraryImport(Lib)] public static partial int nvrtcCompileProgram(IntPtr program, int optionCount, byte** options);
    [LibraryImport(Lib)] public static partial int nvrtcGetProgramLogSize(IntPtr program, out nuint size);
    [LibraryImport(Lib)] public static partial int nvrtcGetProgramLog(IntPtr program, byte* log);
    [LibraryImport(Lib)] public static partial int nvrtcGetCUBINSize(IntPtr program, out nuint size);
    [LibraryImport(Lib)] public static partial int nvrtcGetCUBIN(IntPtr program, byte* cubin);
    [LibraryImport(Lib)] public static partial int nvrtcDestroyProgram(ref IntPtr program);
    [LibraryImport(Lib)] public static partial IntPtr nvrtcGetErrorString(int status);

    /// <summary>Throws <see cref="CudaException"/> naming the call and NVRTC's error text when <paramref name="status"/> is not NVRTC_SUCCESS.</summary>
    public static void Check(int status, [CallerArgumentExpression(nameof(status))] string call = "")
    {
        if (status != 0) throw new CudaException("NVRTC", call, status, Marshal.PtrToStringAnsi(nvrtcGetErrorString(status)) ?? "unknown status");
    }
}
