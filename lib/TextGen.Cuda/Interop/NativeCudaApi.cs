// The seam's real side: each call goes to the driver, NVRTC, cuBLAS or cuDNN through the P/Invoke classes and its
// status through their Check, so a failure names the library, the call and the library's own text.
using System.Runtime.InteropServices;

namespace TextGen.Cuda.Interop;

/// <summary>The NVIDIA libraries found by <see cref="NativeLibraries"/>, as <see cref="ICudaApi"/>.</summary>
internal sealed unsafe class NativeCudaApi : ICudaApi
{
    public static NativeCudaApi Instance { get; } = new();

    private NativeCudaApi() { }

    public (int Device, IntPtr Context, IntPtr Stream) OpenDevice(int ordinal)
    {
        CuDriver.Check(CuDriver.cuDeviceGet(out int device, ordinal), nameof(CuDriver.cuDeviceGet));
        CuDriver.Check(CuDriver.cuDevicePrimaryCtxRetain(out var context, device), nameof(CuDriver.cuDevicePrimaryCtxRetain));
        CuDriver.Check(CuDriver.cuCtxSetCurrent(context), nameof(CuDriver.cuCtxSetCurrent));
        CuDriver.Check(CuDriver.cuStreamCreate(out var stream, 0), nameof(CuDriver.cuStreamCreate));
        return (device, context, stream);
    }

    public (string Name, (int Major, int Minor) Capability, int Multiprocessors) DescribeDevice(int device)
    {
        byte* name = stackalloc byte[256];
        CuDriver.Check(CuDriver.cuDeviceGetName(name, 256, device), nameof(CuDriver.cuDeviceGetName));
        int Attribute(int a)
        {
            CuDriver.Check(CuDriver.cuDeviceGetAttribute(out int value, a, device), nameof(CuDriver.cuDeviceGetAttribute));
            return value;
        }
        return (Marshal.PtrToStringAnsi((IntPtr)name) ?? "GPU", (Attribute(CuDriver.AttributeComputeCapabilityMajor), Attribute(CuDriver.AttributeComputeCapabilityMinor)),
            Attribute(CuDriver.AttributeMultiprocessorCount));
    }

    public void cuCtxSetCurrent(IntPtr context) => CuDriver.Check(CuDriver.cuCtxSetCurrent(context), nameof(cuCtxSetCurrent));
    public void cuStreamSynchronize(IntPtr stream) => CuDriver.Check(CuDriver.cuStreamSynchronize(stream), nameof(cuStreamSynchronize));
    public int cuMemAlloc(out IntPtr pointer, nuint bytes) => CuDriver.cuMemAlloc(out pointer, bytes);
    public int cuMemFree(IntPtr pointer) => CuDriver.cuMemFree(pointer);

    public (long Free, long Total) cuMemGetInfo()
    {
        CuDriver.Check(CuDriver.cuMemGetInfo(out var free, out var total), nameof(cuMemGetInfo));
        return ((long)free, (long)total);
    }

    public void cuMemcpyHtoDAsync(IntPtr destination, void* source, nuint bytes, IntPtr stream) =>
        CuDriver.Check(CuDriver.cuMemcpyHtoDAsync(destination, source, bytes, stream), nameof(cuMemcpyHtoDAsync));
    public void cuMemcpyDtoHAsync(void* destination, IntPtr source, nuint bytes, IntPtr stream) =>
        CuDriver.Check(CuDriver.cuMemcpyDtoHAsync(destination, source, bytes, stream), nameof(cuMemcpyDtoHAsync));
    public void cuMemcpyDtoDAsync(IntPtr destination, IntPtr source, nuint bytes, IntPtr stream) =>
        CuDriver.Check(CuDriver.cuMemcpyDtoDAsync(destination, source, bytes, stream), nameof(cuMemcpyDtoDAsync));
    public void cuMemsetD32Async(IntPtr destination, uint value, nuint count, IntPtr stream) =>
        CuDriver.Check(CuDriver.cuMemsetD32Async(destination, value, count, stream), nameof(cuMemsetD32Async));
    public string DescribeDriverStatus(int status) => CuDriver.Describe(status);

    public IntPtr LoadKernels(string source, int major, int minor)
    {
        var cubin = CudaKernels.Compile(source, major, minor);
        fixed (byte* image = cubin)
        {
            CuDriver.Check(CuDriver.cuModuleLoadData(out var module, image), nameof(CuDriver.cuModuleLoadData));
            return module;
        }
    }

    public IntPtr cuModuleGetFunction(IntPtr module, string name)
    {
        CuDriver.Check(CuDriver.cuModuleGetFunction(out var function, module, name), $"cuModuleGetFunction(\"{name}\")");
        return function;
    }

    public void cuLaunchKernel(IntPtr function, (uint X, uint Y) grid, (uint X, uint Y) block, uint sharedBytes, IntPtr stream, void** arguments) =>
        CuDriver.Check(CuDriver.cuLaunchKernel(function, grid.X, grid.Y, 1, block.X, block.Y, 1, sharedBytes, stream, arguments, null), nameof(cuLaunchKernel));

    public IntPtr cublasCreate(IntPtr stream)
    {
        CuBlas.Check(CuBlas.cublasCreate(out var handle), nameof(cublasCreate));
        CuBlas.Check(CuBlas.cublasSetStream(handle, stream), nameof(CuBlas.cublasSetStream));
        return handle;
    }

    public void cublasSetMathMode(IntPtr handle, int mode) => CuBlas.Check(CuBlas.cublasSetMathMode(handle, mode), nameof(cublasSetMathMode));

    public void cublasSgemm(IntPtr handle, int transA, int transB, int m, int n, int k, float alpha, IntPtr a, int lda, IntPtr b, int ldb, float beta, IntPtr c, int ldc) =>
        CuBlas.Check(CuBlas.cublasSgemm(handle, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc), nameof(cublasSgemm));

    public IntPtr cudnnCreate(IntPtr stream)
    {
        CuDnn.Check(CuDnn.cudnnCreate(out var handle), nameof(cudnnCreate));
        CuDnn.Check(CuDnn.cudnnSetStream(handle, stream), nameof(CuDnn.cudnnSetStream));
        return handle;
    }

    public IntPtr cudnnCreateDropoutDescriptor()
    {
        CuDnn.Check(CuDnn.cudnnCreateDropoutDescriptor(out var d), nameof(cudnnCreateDropoutDescriptor));
        return d;
    }

    public int cudnnDestroyDropoutDescriptor(IntPtr descriptor) => CuDnn.cudnnDestroyDropoutDescriptor(descriptor);

    public nuint cudnnDropoutGetStatesSize(IntPtr handle)
    {
        CuDnn.Check(CuDnn.cudnnDropoutGetStatesSize(handle, out var bytes), nameof(cudnnDropoutGetStatesSize));
        return bytes;
    }

    public void cudnnSetDropoutDescriptor(IntPtr descriptor, IntPtr handle, float dropout, IntPtr states, nuint stateBytes, ulong seed) =>
        CuDnn.Check(CuDnn.cudnnSetDropoutDescriptor(descriptor, handle, dropout, states, stateBytes, seed), nameof(cudnnSetDropoutDescriptor));

    public IntPtr cudnnCreateRNNDescriptor()
    {
        CuDnn.Check(CuDnn.cudnnCreateRNNDescriptor(out var d), nameof(cudnnCreateRNNDescriptor));
        return d;
    }

    public int cudnnDestroyRNNDescriptor(IntPtr descriptor) => CuDnn.cudnnDestroyRNNDescriptor(descriptor);

    public void cudnnSetRNNDescriptor_v8(IntPtr descriptor, int algo, int cellMode, int biasMode, int directionMode, int inputMode, int dataType,
        int mathPrecision, int mathType, int inputSize, int hiddenSize, int projectionSize, int numLayers, IntPtr dropout, uint auxFlags) =>
        CuDnn.Check(CuDnn.cudnnSetRNNDescriptor_v8(descriptor, algo, cellMode, biasMode, directionMode, inputMode, dataType, mathPrecision, mathType,
            inputSize, hiddenSize, projectionSize, numLayers, dropout, auxFlags), nameof(cudnnSetRNNDescriptor_v8));

    public nuint cudnnGetRNNWeightSpaceSize(IntPtr handle, IntPtr rnn)
    {
        CuDnn.Check(CuDnn.cudnnGetRNNWeightSpaceSize(handle, rnn, out var bytes), nameof(cudnnGetRNNWeightSpaceSize));
        return bytes;
    }

    public (IntPtr Matrix, IntPtr Bias) cudnnGetRNNWeightParams(IntPtr handle, IntPtr rnn, int pseudoLayer, nuint weightSpaceBytes, IntPtr weightSpace,
        int linearLayerId, IntPtr matrixDescriptor, IntPtr biasDescriptor)
    {
        CuDnn.Check(CuDnn.cudnnGetRNNWeightParams(handle, rnn, pseudoLayer, weightSpaceBytes, weightSpace, linearLayerId, matrixDescriptor, out var matrix,
            biasDescriptor, out var bias), nameof(cudnnGetRNNWeightParams));
        return (matrix, bias);
    }

    public IntPtr cudnnCreateRNNDataDescriptor()
    {
        CuDnn.Check(CuDnn.cudnnCreateRNNDataDescriptor(out var d), nameof(cudnnCreateRNNDataDescriptor));
        return d;
    }

    public int cudnnDestroyRNNDataDescriptor(IntPtr descriptor) => CuDnn.cudnnDestroyRNNDataDescriptor(descriptor);

    public void cudnnSetRNNDataDescriptor(IntPtr descriptor, int dataType, int layout, int maxSequenceLength, int batchSize, int vectorSize, int[] sequenceLengths)
    {
        fixed (int* lengths = sequenceLengths)
            CuDnn.Check(CuDnn.cudnnSetRNNDataDescriptor(descriptor, dataType, layout, maxSequenceLength, batchSize, vectorSize, lengths, null), nameof(cudnnSetRNNDataDescriptor));
    }

    public IntPtr cudnnCreateTensorDescriptor()
    {
        CuDnn.Check(CuDnn.cudnnCreateTensorDescriptor(out var d), nameof(cudnnCreateTensorDescriptor));
        return d;
    }

    public int cudnnDestroyTensorDescriptor(IntPtr descriptor) => CuDnn.cudnnDestroyTensorDescriptor(descriptor);

    public void cudnnSetTensorNdDescriptor(IntPtr descriptor, int dataType, int[] sizes, int[] strides)
    {
        fixed (int* s = sizes, t = strides)
            CuDnn.Check(CuDnn.cudnnSetTensorNdDescriptor(descriptor, dataType, sizes.Length, s, t), nameof(cudnnSetTensorNdDescriptor));
    }

    public int[] cudnnGetTensorNdDescriptor(IntPtr descriptor)
    {
        int* dims = stackalloc int[8];
        int* strides = stackalloc int[8];
        CuDnn.Check(CuDnn.cudnnGetTensorNdDescriptor(descriptor, 8, out _, out int count, dims, strides), nameof(cudnnGetTensorNdDescriptor));
        return new ReadOnlySpan<int>(dims, count).ToArray();
    }

    public (nuint Work, nuint Reserve) cudnnGetRNNTempSpaceSizes(IntPtr handle, IntPtr rnn, int forwardMode, IntPtr xDescriptor)
    {
        CuDnn.Check(CuDnn.cudnnGetRNNTempSpaceSizes(handle, rnn, forwardMode, xDescriptor, out var work, out var reserve), nameof(cudnnGetRNNTempSpaceSizes));
        return (work, reserve);
    }

    public void cudnnRNNForward(IntPtr handle, IntPtr rnn, int forwardMode, IntPtr deviceSequenceLengths, IntPtr xDescriptor, IntPtr x,
        IntPtr yDescriptor, IntPtr y, IntPtr hDescriptor, IntPtr hx, IntPtr hy, IntPtr cDescriptor, IntPtr cx, IntPtr cy,
        nuint weightBytes, IntPtr weights, nuint workBytes, IntPtr work, nuint reserveBytes, IntPtr reserve) =>
        CuDnn.Check(CuDnn.cudnnRNNForward(handle, rnn, forwardMode, deviceSequenceLengths, xDescriptor, x, yDescriptor, y, hDescriptor, hx, hy,
            cDescriptor, cx, cy, weightBytes, weights, workBytes, work, reserveBytes, reserve), nameof(cudnnRNNForward));

    public void cudnnRNNBackwardData_v8(IntPtr handle, IntPtr rnn, IntPtr deviceSequenceLengths, IntPtr yDescriptor, IntPtr y, IntPtr dy,
        IntPtr xDescriptor, IntPtr dx, IntPtr hDescriptor, IntPtr hx, IntPtr dhy, IntPtr dhx, IntPtr cDescriptor, IntPtr cx, IntPtr dcy, IntPtr dcx,
        nuint weightBytes, IntPtr weights, nuint workBytes, IntPtr work, nuint reserveBytes, IntPtr reserve) =>
        CuDnn.Check(CuDnn.cudnnRNNBackwardData_v8(handle, rnn, deviceSequenceLengths, yDescriptor, y, dy, xDescriptor, dx, hDescriptor, hx, dhy, dhx,
            cDescriptor, cx, dcy, dcx, weightBytes, weights, workBytes, work, reserveBytes, reserve), nameof(cudnnRNNBackwardData_v8));

    public void cudnnRNNBackwardWeights_v8(IntPtr handle, IntPtr rnn, int gradMode, IntPtr deviceSequenceLengths, IntPtr xDescriptor, IntPtr x,
        IntPtr hDescriptor, IntPtr hx, IntPtr yDescriptor, IntPtr y, nuint weightBytes, IntPtr dweights, nuint workBytes, IntPtr work,
        nuint reserveBytes, IntPtr reserve) =>
        CuDnn.Check(CuDnn.cudnnRNNBackwardWeights_v8(handle, rnn, gradMode, deviceSequenceLengths, xDescriptor, x, hDescriptor, hx, yDescriptor, y,
            weightBytes, dweights, workBytes, work, reserveBytes, reserve), nameof(cudnnRNNBackwardWeights_v8));
}
