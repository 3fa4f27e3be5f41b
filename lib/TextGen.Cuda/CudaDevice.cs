// One GPU as the engine drives it: the primary context, one stream that orders all work, the cuBLAS and cuDNN handles
// bound to that stream, the caching allocator, the compiled kernels and the autotuner's choices. Opened once per process;
// every engine on it takes its lock for each operation, since the stream, the handles and cuBLAS's math mode are shared.
using TextGen.Cuda.Interop;

namespace TextGen.Cuda;

/// <summary>The process-wide handle on GPU 0: context, stream, library handles, allocator and kernels, behind <see cref="ICudaApi"/>.</summary>
internal sealed class CudaDevice
{
    private static readonly Lazy<CudaDevice> Shared = new(() =>
    {
        CudaProbe.Report.ThrowIfUnusable();
        return new CudaDevice(NativeCudaApi.Instance, 0);
    });

    private readonly IntPtr context;
    private readonly Lock gate = new();
    private int blasMathMode = -1;

    /// <summary>Opens device <paramref name="ordinal"/> through <paramref name="api"/>: the real libraries, or a fake in tests.</summary>
    public CudaDevice(ICudaApi api, int ordinal)
    {
        Api = api;
        (int device, context, Stream) = api.OpenDevice(ordinal);
        (Name, ComputeCapability, MultiprocessorCount) = api.DescribeDevice(device);
        BlasHandle = api.cublasCreate(Stream);
        DnnHandle = api.cudnnCreate(Stream);
        Allocator = new DeviceAllocator(api);
        Kernels = CudaKernels.Load(api, ComputeCapability.Major, ComputeCapability.Minor);
    }

    /// <summary>GPU 0, opened on first use; throws <see cref="CudaUnavailableException"/> with what is missing when CUDA cannot run here.</summary>
    public static CudaDevice Default => Shared.Value;

    public ICudaApi Api { get; }

    /// <summary>The device's name as the driver reports it.</summary>
    public string Name { get; }

    /// <summary>Compute capability (major, minor), e.g. (9, 0) for an H100.</summary>
    public (int Major, int Minor) ComputeCapability { get; }

    /// <summary>Number of streaming multiprocessors, used to size grid-stride launches.</summary>
    public int MultiprocessorCount { get; }

    /// <summary>The caching allocator all device buffers come from.</summary>
    public DeviceAllocator Allocator { get; }

    public IntPtr Stream { get; }
    public IntPtr BlasHandle { get; }
    public IntPtr DnnHandle { get; }
    public CudaKernels Kernels { get; }

    /// <summary>The autotuner's winner per (model, batch, sequence length, precision), kept for the device's lifetime.</summary>
    public Dictionary<(Nn.CharRnnConfig, int, int, Precision), (int Algo, int Math)> TunedRnn { get; } = [];

    /// <summary>
    /// Takes the device for one operation of one engine: the lock (one engine at a time on the one stream and handles, whatever
    /// thread it runs on) and the context, which CUDA makes current per thread. Dispose the scope to let the next one in.
    /// </summary>
    public Lock.Scope Use()
    {
        var scope = gate.EnterScope();
        try { Api.cuCtxSetCurrent(context); }
        catch { scope.Dispose(); throw; }
        return scope;
    }

    /// <summary>Waits until all work queued on the stream has finished.</summary>
    public void Synchronize() => Api.cuStreamSynchronize(Stream);

    /// <summary>Grid size for a grid-stride loop over <paramref name="n"/> elements with 256-thread blocks: enough blocks to fill the GPU, no more.</summary>
    public uint GridFor(long n) => (uint)Math.Clamp((n + 255) / 256, 1, MultiprocessorCount * 8L);

    /// <summary>Row-major <c>C (m, n) = op(A) · op(B)</c> at <paramref name="precision"/>: cuBLAS's math mode is set first, for it belongs to the shared handle.</summary>
    /// <remarks>A row-major (r, c) matrix is a column-major (c, r) one, so row-major C = op(A) op(B) is column-major
    /// Cᵀ = op(B)ᵀ op(A)ᵀ: swap the operands and keep each one's transpose flag.</remarks>
    public void Gemm(Precision precision, bool transA, bool transB, int m, int n, int k, IntPtr a, IntPtr b, IntPtr c, float beta = 0f)
    {
        int mode = precision switch
        {
            Precision.Fp32 => CuBlas.DefaultMath,
            Precision.Tf32 => CuBlas.Tf32TensorOpMath,
        };
        if (mode != blasMathMode)
        {
            Api.cublasSetMathMode(BlasHandle, mode);
            blasMathMode = mode;
        }
        int lda = transA ? m : k;   // row-major A is (m, k), or (k, m) when transposed
        int ldb = transB ? k : n;   // row-major B is (k, n), or (n, k) when transposed
        Api.cublasSgemm(BlasHandle, transB ? CuBlas.OpT : CuBlas.OpN, transA ? CuBlas.OpT : CuBlas.OpN, n, m, k, 1f, b, ldb, a, lda, beta, c, n);
    }
}
