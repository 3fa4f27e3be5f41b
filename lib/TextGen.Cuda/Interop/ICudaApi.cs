// The native calls the engine makes, as one seam: the real libraries behind it on a GPU, and a fake in the tests, so that
// allocation, descriptor and buffer lifetimes, the autotuner's choices and the step's launches are checked without a device.
namespace TextGen.Cuda.Interop;

/// <summary>
/// The CUDA driver, NVRTC, cuBLAS and cuDNN calls of the engine, named after the C functions. Every call that returns a status
/// throws <see cref="CudaException"/> on failure (the library, the call, the status and its text); the destroy calls, used while
/// cleaning up, and <see cref="cuMemAlloc"/>, whose out-of-memory status the allocator handles, return it instead.
/// </summary>
internal unsafe interface ICudaApi
{
    /// <summary>Device <paramref name="ordinal"/>'s handle, its primary context (retained and made current) and a new stream.</summary>
    (int Device, IntPtr Context, IntPtr Stream) OpenDevice(int ordinal);

    /// <summary>The device's name, compute capability and number of multiprocessors.</summary>
    (string Name, (int Major, int Minor) Capability, int Multiprocessors) DescribeDevice(int device);

    void cuCtxSetCurrent(IntPtr context);
    void cuStreamSynchronize(IntPtr stream);

    /// <summary>The raw status: 0, or 2 (CUDA_ERROR_OUT_OF_MEMORY), which the allocator answers by returning its cache first.</summary>
    int cuMemAlloc(out IntPtr pointer, nuint bytes);
    int cuMemFree(IntPtr pointer);
    (long Free, long Total) cuMemGetInfo();
    void cuMemcpyHtoDAsync(IntPtr destination, void* source, nuint bytes, IntPtr stream);
    void cuMemcpyDtoHAsync(void* destination, IntPtr source, nuint bytes, IntPtr stream);
    void cuMemcpyDtoDAsync(IntPtr destination, IntPtr source, nuint bytes, IntPtr stream);
    void cuMemsetD32Async(IntPtr destination, uint value, nuint count, IntPtr stream);

    /// <summary>The driver's name and text of a status, for messages.</summary>
    string DescribeDriverStatus(int status);

    /// <summary>Compiles the kernels' CUDA C source for <c>sm_{major}{minor}</c> with NVRTC and loads the cubin into the current context.</summary>
    IntPtr LoadKernels(string source, int major, int minor);
    IntPtr cuModuleGetFunction(IntPtr module, string name);
    void cuLaunchKernel(IntPtr function, (uint X, uint Y) grid, (uint X, uint Y) block, uint sharedBytes, IntPtr stream, void** arguments);

    /// <summary>A cuBLAS handle bound to <paramref name="stream"/>.</summary>
    IntPtr cublasCreate(IntPtr stream);
    void cublasSetMathMode(IntPtr handle, int mode);
    void cublasSgemm(IntPtr handle, int transA, int transB, int m, int n, int k, float alpha, IntPtr a, int lda, IntPtr b, int ldb, float beta, IntPtr c, int ldc);

    /// <summary>A cuDNN handle bound to <paramref name="stream"/>.</summary>
    IntPtr cudnnCreate(IntPtr stream);
    IntPtr cudnnCreateDropoutDescriptor();
    int cudnnDestroyDropoutDescriptor(IntPtr descriptor);
    nuint cudnnDropoutGetStatesSize(IntPtr handle);
    void cudnnSetDropoutDescriptor(IntPtr descriptor, IntPtr handle, float dropout, IntPtr states, nuint stateBytes, ulong seed);
    IntPtr cudnnCreateRNNDescriptor();
    int cudnnDestroyRNNDescriptor(IntPtr descriptor);
    void cudnnSetRNNDescriptor_v8(IntPtr descriptor, int algo, int cellMode, int biasMode, int directionMode, int inputMode, int dataType,
        int mathPrecision, int mathType, int inputSize, int hiddenSize, int projectionSize, int numLayers, IntPtr dropout, uint auxFlags);
    nuint cudnnGetRNNWeightSpaceSize(IntPtr handle, IntPtr rnn);
    (IntPtr Matrix, IntPtr Bias) cudnnGetRNNWeightParams(IntPtr handle, IntPtr rnn, int pseudoLayer, nuint weightSpaceBytes, IntPtr weightSpace,
        int linearLayerId, IntPtr matrixDescriptor, IntPtr biasDescriptor);
    IntPtr cudnnCreateRNNDataDescriptor();
    int cudnnDestroyRNNDataDescriptor(IntPtr descriptor);
    void cudnnSetRNNDataDescriptor(IntPtr descriptor, int dataType, int layout, int maxSequenceLength, int batchSize, int vectorSize, int[] sequenceLengths);
    IntPtr cudnnCreateTensorDescriptor();
    int cudnnDestroyTensorDescriptor(IntPtr descriptor);
    void cudnnSetTensorNdDescriptor(IntPtr descriptor, int dataType, int[] sizes, int[] strides);

    /// <summary>The dimensions of an N-d tensor descriptor (at most 8).</summary>
    int[] cudnnGetTensorNdDescriptor(IntPtr descriptor);
    (nuint Work, nuint Reserve) cudnnGetRNNTempSpaceSizes(IntPtr handle, IntPtr rnn, int forwardMode, IntPtr xDescriptor);
    void cudnnRNNForward(IntPtr handle, IntPtr rnn, int forwardMode, IntPtr deviceSequenceLengths, IntPtr xDescriptor, IntPtr x,
        IntPtr yDescriptor, IntPtr y, IntPtr hDescriptor, IntPtr hx, IntPtr hy, IntPtr cDescriptor, IntPtr cx, IntPtr cy,
        nuint weightBytes, IntPtr weights, nuint workBytes, IntPtr work, nuint reserveBytes, IntPtr reserve);
    void cudnnRNNBackwardData_v8(IntPtr handle, IntPtr rnn, IntPtr deviceSequenceLengths, IntPtr yDescriptor, IntPtr y, IntPtr dy,
        IntPtr xDescriptor, IntPtr dx, IntPtr hDescriptor, IntPtr hx, IntPtr dhy, IntPtr dhx, IntPtr cDescriptor, IntPtr cx, IntPtr dcy, IntPtr dcx,
        nuint weightBytes, IntPtr weights, nuint workBytes, IntPtr work, nuint reserveBytes, IntPtr reserve);
    void cudnnRNNBackwardWeights_v8(IntPtr handle, IntPtr rnn, int gradMode, IntPtr deviceSequenceLengths, IntPtr xDescriptor, IntPtr x,
        IntPtr hDescriptor, IntPtr hx, IntPtr yDescriptor, IntPtr y, nuint weightBytes, IntPtr dweights, nuint workBytes, IntPtr work,
        nuint reserveBytes, IntPtr reserve);
}
