// One GPU as the backend drives it: the primary context, one stream that orders all work, the cuBLAS and cuDNN
// handles bound to that stream, the caching allocator and the compiled kernels. Opened once per process.
using TextGen.Cuda.Interop;
using TextGen.Tensors.Kernels;

namespace TextGen.Cuda;

/// <summary>The process-wide handle on GPU 0: context, stream, library handles, allocator and kernels.</summary>
/// <remarks>Everything runs on one stream, so work is ordered without events; the device is meant to be used
/// from one thread at a time, as the trainer and generator do.</remarks>
public sealed class CudaDevice
{
    private static readonly Lazy<CudaDevice> Shared = new(() => new CudaDevice(0));
    private readonly IntPtr context;

    private CudaDevice(int ordinal)
    {
        var report = CudaProbe.Report;
        report.ThrowIfUnusable();
        CuDriver.Check(CuDriver.cuDeviceGet(out int device, ordinal));
        CuDriver.Check(CuDriver.cuDevicePrimaryCtxRetain(out context, device));
        CuDriver.Check(CuDriver.cuCtxSetCurrent(context));
        CuDriver.Check(CuDriver.cuStreamCreate(out var stream, 0));
        Stream = stream;
        CuDriver.Check(CuDriver.cuDeviceGetAttribute(out int sms, CuDriver.AttributeMultiprocessorCount, device));
        MultiprocessorCount = sms;
        Name = report.DeviceName ?? "GPU";
        ComputeCapability = report.ComputeCapability ?? (0, 0);
        CuBlas.Check(CuBlas.cublasCreate(out var blas));
        CuBlas.Check(CuBlas.cublasSetStream(blas, stream));
        BlasHandle = blas;
        CuDnn.Check(CuDnn.cudnnCreate(out var dnn));
        CuDnn.Check(CuDnn.cudnnSetStream(dnn, stream));
        DnnHandle = dnn;
        Allocator = new DeviceAllocator();
        Kernels = CudaKernels.Load(ComputeCapability.Major, ComputeCapability.Minor);
    }

    /// <summary>GPU 0, opened on first use; throws <see cref="CudaUnavailableException"/> with what is missing when CUDA cannot run here.</summary>
    public static CudaDevice Default
    {
        get
        {
            var device = Shared.Value;
            device.MakeCurrent();
            return device;
        }
    }

    /// <summary>The device's name as the driver reports it.</summary>
    public string Name { get; }

    /// <summary>Compute capability (major, minor), e.g. (9, 0) for an H100.</summary>
    public (int Major, int Minor) ComputeCapability { get; }

    /// <summary>Number of streaming multiprocessors, used to size grid-stride launches.</summary>
    public int MultiprocessorCount { get; }

    /// <summary>The caching allocator all device buffers come from.</summary>
    public DeviceAllocator Allocator { get; }

    internal IntPtr Stream { get; }
    internal IntPtr BlasHandle { get; }
    internal IntPtr DnnHandle { get; }
    internal CudaKernels Kernels { get; }

    /// <summary>Binds the context to the calling thread (a CUDA context is current per thread).</summary>
    public void MakeCurrent() => CuDriver.Check(CuDriver.cuCtxSetCurrent(context));

    /// <summary>Waits until all work queued on the backend's stream has finished.</summary>
    public void Synchronize() => CuDriver.Check(CuDriver.cuStreamSynchronize(Stream));

    /// <summary>Grid size for a grid-stride loop over <paramref name="n"/> elements with 256-thread blocks: enough blocks to fill the GPU, no more.</summary>
    internal uint GridFor(long n) => (uint)Math.Clamp((n + 255) / 256, 1, MultiprocessorCount * 8L);

    /// <summary>Sets cuBLAS's math mode for <paramref name="precision"/>: strict FP32 or TF32 tensor cores.</summary>
    internal void UseBlasPrecision(Precision precision) =>
        CuBlas.Check(CuBlas.cublasSetMathMode(BlasHandle, precision == Precision.Tf32 ? CuBlas.Tf32TensorOpMath : CuBlas.DefaultMath));

    /// <summary>Row-major <c>C (m, n) = A · Bᵀ</c> or the other transposition patterns, expressed in cuBLAS's column-major terms.</summary>
    /// <remarks>A row-major (r, c) matrix is a column-major (c, r) one, so row-major C = op(A) op(B) is column-major
    /// Cᵀ = op(B)ᵀ op(A)ᵀ: swap the operands and keep each one's transpose flag.</remarks>
    internal void Gemm(bool transA, bool transB, int m, int n, int k, IntPtr a, IntPtr b, IntPtr c, float beta = 0f)
    {
        int lda = transA ? m : k;   // row-major A is (m, k), or (k, m) when transposed
        int ldb = transB ? k : n;   // row-major B is (k, n), or (n, k) when transposed
        CuBlas.Check(CuBlas.cublasSgemm(BlasHandle, transB ? CuBlas.OpT : CuBlas.OpN, transA ? CuBlas.OpT : CuBlas.OpN,
            n, m, k, 1f, b, ldb, a, lda, beta, c, n));
    }
}
