// P/Invoke bindings to cuBLAS: a handle bound to our stream, the math mode (strict FP32 or TF32 tensor cores)
// and single-precision matrix products in cuBLAS's column-major convention.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TextGen.Cuda.Interop;

/// <summary>The cuBLAS calls the backend uses; every status goes through <see cref="Check"/>.</summary>
internal static partial class CuBlas
{
    private const string Lib = NativeLibraries.CuBlas;

    public const int OpN = 0;
    public const int OpT = 1;
    public const int DefaultMath = 0;
    public const int Tf32TensorOpMath = 3;
    public const int PropertyMajor = 0;
    public const int PropertyMinor = 1;
    public const int PropertyPatch = 2;

    static CuBlas() => NativeLibraries.EnsureRegistered();

    [LibraryImport(Lib, EntryPoint = "cublasCreate_v2")] public static partial int cublasCreate(out IntPtr handle);
    [LibraryImport(Lib, EntryPoint = "cublasSetStream_v2")] public static partial int cublasSetStream(IntPtr handle, IntPtr stream);
    [LibraryImport(Lib)] public static partial int cublasSetMathMode(IntPtr handle, int mode);
    [LibraryImport(Lib)] public static partial int cublasGetProperty(int property, out int value);
    [LibraryImport(Lib)] public static partial IntPtr cublasGetStatusString(int status);
    [LibraryImport(Lib, EntryPoint = "cublasSgemm_v2")]
    public static partial int cublasSgemm(IntPtr handle, int transA, int transB, int m, int n, int k, in float alpha,
        IntPtr a, int lda, IntPtr b, int ldb, in float beta, IntPtr c, int ldc);

    /// <summary>Throws <see cref="CudaException"/> naming the call and cuBLAS's status text when <paramref name="status"/> is not CUBLAS_STATUS_SUCCESS.</summary>
    public static void Check(int status, [CallerArgumentExpression(nameof(status))] string call = "")
    {
        if (status != 0) throw new CudaException("cuBLAS", call, status, Marshal.PtrToStringAnsi(cublasGetStatusString(status)) ?? "unknown status");
    }

    /// <summary>The library version as major*10000 + minor*100 + patch.</summary>
    public static int Version()
    {
        Check(cublasGetProperty(PropertyMajor, out int major));
        Check(cublasGetProperty(PropertyMinor, out int minor));
        Check(cublasGetProperty(PropertyPatch, out int patch));
        return major * 10000 + minor * 100 + patch;
    }
}
