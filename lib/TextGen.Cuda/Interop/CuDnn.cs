// P/Invoke bindings to cuDNN 9's RNN API (the v8 entry points): descriptors, weight-space queries, forward in
// training or inference mode, and the two backward passes. Enum values are those of cudnn_graph.h / cudnn_adv.h.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TextGen.Cuda.Interop;

/// <summary>The cuDNN calls the backend uses; every status goes through <see cref="Check"/>.</summary>
internal static unsafe partial class CuDnn
{
    private const string Lib = NativeLibraries.CuDnn;

    // cudnnDataType_t
    public const int DataFloat = 0;
    // cudnnRNNAlgo_t
    public const int AlgoStandard = 0;
    public const int AlgoPersistStatic = 1;
    // cudnnRNNBiasMode_t: two biases per gate, as PyTorch has
    public const int DoubleBias = 2;
    public const int Unidirectional = 0;
    public const int LinearInput = 0;
    // cudnnMathType_t
    public const int DefaultMath = 0;
    public const int TensorOpMathAllowConversion = 2;
    public const int FmaMath = 3;
    // cudnnForwardMode_t
    public const int Inference = 0;
    public const int Training = 1;
    public const int SeqMajorUnpacked = 0;
    public const int PaddedIoDisabled = 0;
    // cudnnWgradMode_t: cuDNN 9 supports only ADD for the v8 backward-weights call, so gradients are zeroed first
    public const int WgradAdd = 0;

    static CuDnn() => NativeLibraries.EnsureRegistered();

    [LibraryImport(Lib)] public static partial nuint cudnnGetVersion();
    [LibraryImport(Lib)] public static partial IntPtr cudnnGetErrorString(int status);
    [LibraryImport(Lib)] public static partial void cudnnGetLastErrorString(byte* message, nuint maxSize);
    [LibraryImport(Lib)] public static partial int cudnnCreate(out IntPtr handle);
    [LibraryImport(Lib)] public static partial int cudnnSetStream(IntPtr handle, IntPtr stream);
    [LibraryImport(Lib)] public static partial int cudnnCreateDropoutDescriptor(out IntPtr descriptor);
    [LibraryImport(Lib)] public static partial int cudnnDestroyDropoutDescriptor(IntPtr descriptor);
    [LibraryImport(Lib)] public static partial int cudnnDropoutGetStatesSize(IntPtr handle, out nuint bytes);
    [LibraryImport(Lib)] public static partial int cudnnSetDropoutDescriptor(IntPtr descriptor, IntPtr handle, float dropout, IntPtr states, nuint stateBytes, ulong seed);
    [LibraryImport(Lib)] public static partial int cudnnCreateRNNDescriptor(out IntPtr descriptor);
    [LibraryImport(Lib)] public static partial int cudnnDestroyRNNDescriptor(IntPtr descriptor);
    [LibraryImport(Lib)]
    public static partial int cudnnSetRNNDescriptor_v8(IntPtr descriptor, int algo, int cellMode, int biasMode, int directionMode, int inputMode,
        int dataType, int mathPrecision, int mathType, int inputSize, int hiddenSize, int projectionSize, int numLayers, IntPtr dropout, uint auxFlags);
    [LibraryImport(Lib)] public static partial int cudnnCreateRNNDataDescriptor(out IntPtr descriptor);
    [LibraryImport(Lib)] public static partial int cudnnDestroyRNNDataDescriptor(IntPtr descriptor);
    [LibraryImport(Lib)]
    public static partial int cudnnSetRNNDataDescriptor(IntPtr descriptor, int dataType, int layout, int maxSequenceLength, int batchSize,
        int vectorSize, int* sequenceLengths, void* paddingFill);
    [LibraryImport(Lib)] public static partial int cudnnCreateTensorDescriptor(out IntPtr descriptor);
    [LibraryImport(Lib)] public static partial int cudnnDestroyTensorDescriptor(IntPtr descriptor);
    [LibraryImport(Lib)] public static partial int cudnnSetTensorNdDescriptor(IntPtr descriptor, int dataType, int dims, int* sizes, int* strides);
    [LibraryImport(Lib)] public static partial int cudnnGetTensorNdDescriptor(IntPtr descriptor, int requestedDims, out int dataType, out int dims, int* sizes, int* strides);
    [LibraryImport(Lib)] public static partial int cudnnGetRNNWeightSpaceSize(IntPtr handle, IntPtr rnn, out nuint bytes);
    [LibraryImport(Lib)]
    public static partial int cudnnGetRNNWeightParams(IntPtr handle, IntPtr rnn, int pseudoLayer, nuint weightSpaceBytes, IntPtr weightSpace,
        int linearLayerId, IntPtr matrixDescriptor, out IntPtr matrix, IntPtr biasDescriptor, out IntPtr bias);
    [LibraryImport(Lib)]
    public static partial int cudnnGetRNNTempSpaceSizes(IntPtr handle, IntPtr rnn, int forwardMode, IntPtr xDescriptor, out nuint workBytes, out nuint reserveBytes);
    [LibraryImport(Lib)]
    public static partial int cudnnRNNForward(IntPtr handle, IntPtr rnn, int forwardMode, IntPtr deviceSequenceLengths, IntPtr xDescriptor, IntPtr x,
        IntPtr yDescriptor, IntPtr y, IntPtr hDescriptor, IntPtr hx, IntPtr hy, IntPtr cDescriptor, IntPtr cx, IntPtr cy,
        nuint weightBytes, IntPtr weights, nuint workBytes, IntPtr work, nuint reserveBytes, IntPtr reserve);
    [LibraryImport(Lib)]
    public static partial int cudnnRNNBackwardData_v8(IntPtr handle, IntPtr rnn, IntPtr deviceSequenceLengths, IntPtr yDescriptor, IntPtr y, IntPtr dy,
        IntPtr xDescriptor, IntPtr dx, IntPtr hDescriptor, IntPtr hx, IntPtr dhy, IntPtr dhx, IntPtr cDescriptor, IntPtr cx, IntPtr dcy, IntPtr dcx,
        nuint weightBytes, IntPtr weights, nuint workBytes, IntPtr work, nuint reserveBytes, IntPtr reserve);
    [LibraryImport(Lib)]
    public static partial int cudnnRNNBackwardWeights_v8(IntPtr handle, IntPtr rnn, int gradMode, IntPtr deviceSequenceLengths, IntPtr xDescriptor, IntPtr x,
        IntPtr hDescriptor, IntPtr hx, IntPtr yDescriptor, IntPtr y, nuint weightBytes, IntPtr dweights, nuint workBytes, IntPtr work,
        nuint reserveBytes, IntPtr reserve);

    /// <summary>Throws <see cref="CudaException"/> naming the call, cuDNN's status text and its last error message when <paramref name="status"/> is not CUDNN_STATUS_SUCCESS.</summary>
    public static void Check(int status, [CallerArgumentExpression(nameof(status))] string call = "")
    {
        if (status == 0) return;
        byte* last = stackalloc byte[1024];
        last[0] = 0;
        cudnnGetLastErrorString(last, 1024);
        throw new CudaException("cuDNN", call, status, Describe(Marshal.PtrToStringAnsi(cudnnGetErrorString(status)), Marshal.PtrToStringAnsi((IntPtr)last)));
    }

    /// <summary>The status name with cuDNN's own explanation of the latest failure (<c>cudnnGetLastErrorString</c>), which says which argument it refused.</summary>
    public static string Describe(string? statusText, string? lastError)
    {
        string name = string.IsNullOrWhiteSpace(statusText) ? "unknown status" : statusText.Trim();
        return string.IsNullOrWhiteSpace(lastError) ? name : $"{name}: {lastError.Trim()}";
    }
}
