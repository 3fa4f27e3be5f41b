// A stand-in for the NVIDIA libraries behind ICudaApi, so the CUDA engine's own logic runs here without a GPU: device memory
// is host memory (copies really copy), cuDNN keeps a weight-space layout of its own, and every call checks what the real
// library would refuse: a dead descriptor, a pointer outside a live block, a workspace or reserve smaller than it asked for.
// Kernels do nothing but record their names (sum_of_squares adds up, so a norm can be read). Settings make it refuse things.
using System.Diagnostics;
using System.Runtime.InteropServices;
using TextGen.Cuda;
using TextGen.Cuda.Interop;

namespace TextGen.Tests.Cuda;

/// <summary>A fake of the CUDA driver, NVRTC, cuBLAS and cuDNN that checks lifetimes and sizes; see the file header.</summary>
internal sealed unsafe class FakeCudaApi : ICudaApi, IDisposable
{
    private readonly Lock gate = new();
    private readonly Dictionary<IntPtr, long> blocks = [];
    private readonly Dictionary<IntPtr, (int Gates, int Input, int Hidden, int Layers, int Algo, int Math)> rnns = [];
    private readonly Dictionary<IntPtr, (int Seq, int Batch, int Vector)> data = [];
    private readonly Dictionary<IntPtr, int[]> tensors = [];
    private readonly HashSet<IntPtr> dropouts = [];
    private readonly Dictionary<IntPtr, int> blasModes = [];
    private readonly List<string> kernelNames = [];
    private long nextHandle = 0x1000;

    /// <summary>Device memory the fake pretends to have.</summary>
    public long TotalBytes { get; set; } = 1L << 30;

    /// <summary>Makes cudnnSetRNNDescriptor_v8 refuse an (algorithm, math type) pair with CUDNN_STATUS_NOT_SUPPORTED.</summary>
    public Func<int, int, bool> RefuseSetting { get; set; } = (_, _) => false;

    /// <summary>Makes cudnnRNNForward refuse an (algorithm, math type) pair in training mode.</summary>
    public Func<int, int, bool> RefuseForward { get; set; } = (_, _) => false;

    /// <summary>Workspace and reserve bytes per (algorithm, rows, layers); by default a few bytes per row, the persistent algorithm twice as many.</summary>
    public Func<int, long, int, (long Work, long Reserve)> TempSizes { get; set; } =
        (algo, rows, layers) => (4096 + 16 * rows * (algo + 1), 64 * rows * layers * (algo + 1));

    /// <summary>Milliseconds a training-mode forward pass of an (algorithm, math type) pair takes (busy-waited), to decide the autotuner.</summary>
    public Func<int, int, double> PassMs { get; set; } = (algo, _) => algo == CuDnn.AlgoStandard ? 0.2 : 1.0;

    /// <summary>Moves the persistent algorithm's recurrent matrices, as a cuDNN whose layout differs would.</summary>
    public bool ShiftPersistentLayout { get; set; }

    /// <summary>What sum_of_squares adds to its output, instead of the squares of its input (NaN to plant a broken gradient).</summary>
    public float? SquaredNorm { get; set; }

    /// <summary>Fails every cuMemAlloc after this many more (null: never).</summary>
    public int? AllocationsLeft { get; set; }

    public long BytesAllocated { get; private set; }
    public IReadOnlyList<string> Launches { get { lock (gate) return [.. launches]; } }
    public IReadOnlyList<(int Thread, int Mode)> Gemms { get { lock (gate) return [.. gemms]; } }
    public IReadOnlyList<(int Algo, nuint Work, nuint Reserve)> Forwards { get { lock (gate) return [.. forwards]; } }
    public int LiveDescriptors { get { lock (gate) return rnns.Count + data.Count + tensors.Count + dropouts.Count; } }
    public int LiveBlocks { get { lock (gate) return blocks.Count; } }

    private readonly List<string> launches = [];
    private readonly List<(int, int)> gemms = [];
    private readonly List<(int, nuint, nuint)> forwards = [];

    private IntPtr NewHandle() => (IntPtr)Interlocked.Increment(ref nextHandle);

    private static CudaException Refused(string library, string call, int status, string text) => new(library, call, status, text);

    private void CheckBlock(IntPtr p, long bytes, string what)
    {
        if (bytes == 0) return;
        lock (gate)
            foreach (var (start, size) in blocks)
                if (p >= start && (long)p + bytes <= (long)start + size) return;
        throw Refused("fake", what, 1, $"{bytes} bytes at 0x{p:x} lie outside every live block");
    }

    public (int Device, IntPtr Context, IntPtr Stream) OpenDevice(int ordinal) => (ordinal, NewHandle(), NewHandle());
    public (string Name, (int Major, int Minor) Capability, int Multiprocessors) DescribeDevice(int device) => ("Fake GPU", (9, 0), 4);
    public void cuCtxSetCurrent(IntPtr context) { }
    public void cuStreamSynchronize(IntPtr stream) { }

    public int cuMemAlloc(out IntPtr pointer, nuint bytes)
    {
        lock (gate)
        {
            pointer = IntPtr.Zero;
            if (AllocationsLeft is { } left)
            {
                if (left <= 0) return 2;
                AllocationsLeft = left - 1;
            }
            if (BytesAllocated + (long)bytes > TotalBytes) return 2;
            pointer = (IntPtr)NativeMemory.AllocZeroed(bytes);
            blocks[pointer] = (long)bytes;
            BytesAllocated += (long)bytes;
            return 0;
        }
    }

    public int cuMemFree(IntPtr pointer)
    {
        lock (gate)
        {
            if (!blocks.Remove(pointer, out long size)) return 1;   // CUDA_ERROR_INVALID_VALUE: freed twice or never allocated
            NativeMemory.Free((void*)pointer);
            BytesAllocated -= size;
            return 0;
        }
    }

    public (long Free, long Total) cuMemGetInfo() { lock (gate) return (TotalBytes - BytesAllocated, TotalBytes); }

    public void cuMemcpyHtoDAsync(IntPtr destination, void* source, nuint bytes, IntPtr stream)
    {
        CheckBlock(destination, (long)bytes, nameof(cuMemcpyHtoDAsync));
        Buffer.MemoryCopy(source, (void*)destination, bytes, bytes);
    }

    public void cuMemcpyDtoHAsync(void* destination, IntPtr source, nuint bytes, IntPtr stream)
    {
        CheckBlock(source, (long)bytes, nameof(cuMemcpyDtoHAsync));
        Buffer.MemoryCopy((void*)source, destination, bytes, bytes);
    }

    public void cuMemcpyDtoDAsync(IntPtr destination, IntPtr source, nuint bytes, IntPtr stream)
    {
        CheckBlock(source, (long)bytes, nameof(cuMemcpyDtoDAsync));
        CheckBlock(destination, (long)bytes, nameof(cuMemcpyDtoDAsync));
        Buffer.MemoryCopy((void*)source, (void*)destination, bytes, bytes);
    }

    public void cuMemsetD32Async(IntPtr destination, uint value, nuint count, IntPtr stream)
    {
        CheckBlock(destination, 4 * (long)count, nameof(cuMemsetD32Async));
        new Span<uint>((void*)destination, checked((int)count)).Fill(value);
    }

    public string DescribeDriverStatus(int status) => status == 2 ? "CUDA_ERROR_OUT_OF_MEMORY: out of memory" : $"status {status}";
    public IntPtr LoadKernels(string source, int major, int minor) => NewHandle();

    public IntPtr cuModuleGetFunction(IntPtr module, string name)
    {
        lock (gate)
        {
            kernelNames.Add(name);
            return kernelNames.Count;
        }
    }

    public void cuLaunchKernel(IntPtr function, (uint X, uint Y) grid, (uint X, uint Y) block, uint sharedBytes, IntPtr stream, void** arguments)
    {
        string name;
        lock (gate)
        {
            name = kernelNames[(int)function - 1];
            launches.Add(name);
        }
        if (name != "sum_of_squares") return;
        var x = *(IntPtr*)arguments[0];
        long n = *(long*)arguments[1];
        var output = *(IntPtr*)arguments[2];
        CheckBlock(x, 4 * n, name);
        double sum = 0;
        foreach (var value in new ReadOnlySpan<float>((void*)x, checked((int)n))) sum += (double)value * value;
        *(float*)output += SquaredNorm ?? (float)sum;
    }

    public IntPtr cublasCreate(IntPtr stream) { var h = NewHandle(); lock (gate) blasModes[h] = 0; return h; }
    public void cublasSetMathMode(IntPtr handle, int mode) { lock (gate) blasModes[handle] = mode; }

    public void cublasSgemm(IntPtr handle, int transA, int transB, int m, int n, int k, float alpha, IntPtr a, int lda, IntPtr b, int ldb, float beta, IntPtr c, int ldc)
    {
        CheckBlock(c, 4L * m * n, nameof(cublasSgemm));
        // A launch takes a moment, during which an unsynchronised second engine could change the handle's mode under it.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalMilliseconds < 0.05) Thread.SpinWait(10);
        lock (gate) gemms.Add((Environment.CurrentManagedThreadId, blasModes[handle]));
    }

    public IntPtr cudnnCreate(IntPtr stream) => NewHandle();
    public IntPtr cudnnCreateDropoutDescriptor() { var h = NewHandle(); lock (gate) dropouts.Add(h); return h; }
    public int cudnnDestroyDropoutDescriptor(IntPtr descriptor) { lock (gate) return dropouts.Remove(descriptor) ? 0 : 3; }
    public nuint cudnnDropoutGetStatesSize(IntPtr handle) => 1024;
    public void cudnnSetDropoutDescriptor(IntPtr descriptor, IntPtr handle, float dropout, IntPtr states, nuint stateBytes, ulong seed) => CheckBlock(states, (long)stateBytes, nameof(cudnnSetDropoutDescriptor));
    public IntPtr cudnnCreateRNNDescriptor() { var h = NewHandle(); lock (gate) rnns[h] = default; return h; }
    public int cudnnDestroyRNNDescriptor(IntPtr descriptor) { lock (gate) return rnns.Remove(descriptor) ? 0 : 3; }

    public void cudnnSetRNNDescriptor_v8(IntPtr descriptor, int algo, int cellMode, int biasMode, int directionMode, int inputMode, int dataType,
        int mathPrecision, int mathType, int inputSize, int hiddenSize, int projectionSize, int numLayers, IntPtr dropout, uint auxFlags)
    {
        if (RefuseSetting(algo, mathType)) throw Refused("cuDNN", nameof(cudnnSetRNNDescriptor_v8), 9, "CUDNN_STATUS_NOT_SUPPORTED: fake refuses this setting");
        lock (gate) rnns[descriptor] = (cellMode switch { 2 => 4, 3 => 3, _ => 1 }, inputSize, hiddenSize, numLayers, algo, mathType);
    }

    private (int Gates, int Input, int Hidden, int Layers, int Algo, int Math) Rnn(IntPtr handle, string call)
    {
        lock (gate)
            return rnns.TryGetValue(handle, out var r) ? r : throw Refused("cuDNN", call, 3, "CUDNN_STATUS_BAD_PARAM: dead RNN descriptor");
    }

    // Per layer and linear id (input matrices then recurrent ones): the matrix, then its bias.
    private static long SpaceFloats((int Gates, int Input, int Hidden, int Layers, int, int) r)
    {
        long total = 0;
        for (int l = 0; l < r.Layers; l++)
            for (int id = 0; id < 2 * r.Gates; id++)
                total += (long)r.Hidden * (id >= r.Gates ? r.Hidden : l == 0 ? r.Input : r.Hidden) + r.Hidden;
        return total;
    }

    public nuint cudnnGetRNNWeightSpaceSize(IntPtr handle, IntPtr rnn) => (nuint)(4 * SpaceFloats(Rnn(rnn, nameof(cudnnGetRNNWeightSpaceSize))));

    public (IntPtr Matrix, IntPtr Bias) cudnnGetRNNWeightParams(IntPtr handle, IntPtr rnn, int pseudoLayer, nuint weightSpaceBytes, IntPtr weightSpace,
        int linearLayerId, IntPtr matrixDescriptor, IntPtr biasDescriptor)
    {
        var r = Rnn(rnn, nameof(cudnnGetRNNWeightParams));
        long offset = 0;
        for (int l = 0; l <= pseudoLayer; l++)
            for (int id = 0; id < 2 * r.Gates; id++)
            {
                int columns = id >= r.Gates ? r.Hidden : l == 0 ? r.Input : r.Hidden;
                if (l == pseudoLayer && id == linearLayerId)
                {
                    lock (gate) { tensors[matrixDescriptor] = [1, r.Hidden, columns]; tensors[biasDescriptor] = [1, r.Hidden, 1]; }
                    long matrix = ShiftPersistentLayout && r.Algo == CuDnn.AlgoPersistStatic && id >= r.Gates ? offset + 1 : offset;
                    return (weightSpace + (nint)(4 * matrix), weightSpace + (nint)(4 * (offset + (long)r.Hidden * columns)));
                }
                offset += (long)r.Hidden * columns + r.Hidden;
            }
        throw Refused("cuDNN", nameof(cudnnGetRNNWeightParams), 3, "CUDNN_STATUS_BAD_PARAM: no such layer");
    }

    private (int Seq, int Batch, int Vector) Data(IntPtr descriptor, string call)
    {
        lock (gate)
            return data.TryGetValue(descriptor, out var d) ? d : throw Refused("cuDNN", call, 3, "CUDNN_STATUS_BAD_PARAM: dead data descriptor");
    }

    public IntPtr cudnnCreateRNNDataDescriptor() { var h = NewHandle(); lock (gate) data[h] = default; return h; }
    public int cudnnDestroyRNNDataDescriptor(IntPtr descriptor) { lock (gate) return data.Remove(descriptor) ? 0 : 3; }
    public void cudnnSetRNNDataDescriptor(IntPtr descriptor, int dataType, int layout, int maxSequenceLength, int batchSize, int vectorSize, int[] sequenceLengths)
    {
        lock (gate) data[descriptor] = (maxSequenceLength, batchSize, vectorSize);
    }

    public IntPtr cudnnCreateTensorDescriptor() { var h = NewHandle(); lock (gate) tensors[h] = []; return h; }
    public int cudnnDestroyTensorDescriptor(IntPtr descriptor) { lock (gate) return tensors.Remove(descriptor) ? 0 : 3; }
    public void cudnnSetTensorNdDescriptor(IntPtr descriptor, int dataType, int[] sizes, int[] strides) { lock (gate) tensors[descriptor] = sizes; }
    public int[] cudnnGetTensorNdDescriptor(IntPtr descriptor) { lock (gate) return tensors[descriptor]; }

    public (nuint Work, nuint Reserve) cudnnGetRNNTempSpaceSizes(IntPtr handle, IntPtr rnn, int forwardMode, IntPtr xDescriptor)
    {
        var r = Rnn(rnn, nameof(cudnnGetRNNTempSpaceSizes));
        (int seq, int batch, _) = Data(xDescriptor, nameof(cudnnGetRNNTempSpaceSizes));
        var (work, reserve) = TempSizes(r.Algo, (long)seq * batch, r.Layers);
        return ((nuint)work, forwardMode == CuDnn.Training ? (nuint)reserve : 0);
    }

    // What cuDNN checks before a pass: live descriptors, the weight space's size, and temporary spaces at least as large as asked.
    private void CheckPass(string call, IntPtr rnn, int forwardMode, IntPtr x, nuint weightBytes, IntPtr weights, nuint workBytes, IntPtr work, nuint reserveBytes, IntPtr reserve)
    {
        var r = Rnn(rnn, call);
        Data(x, call);
        if ((long)weightBytes != 4 * SpaceFloats(r)) throw Refused("cuDNN", call, 3, "CUDNN_STATUS_BAD_PARAM: weight space size");
        CheckBlock(weights, (long)weightBytes, call);
        var (needWork, needReserve) = cudnnGetRNNTempSpaceSizes(IntPtr.Zero, rnn, forwardMode, x);
        if (workBytes < needWork || reserveBytes < needReserve)
            throw Refused("cuDNN", call, 3, $"CUDNN_STATUS_BAD_PARAM: workspace {workBytes} (needs {needWork}), reserve {reserveBytes} (needs {needReserve})");
        CheckBlock(work, (long)workBytes, call);
        CheckBlock(reserve, (long)reserveBytes, call);
    }

    public void cudnnRNNForward(IntPtr handle, IntPtr rnn, int forwardMode, IntPtr deviceSequenceLengths, IntPtr xDescriptor, IntPtr x,
        IntPtr yDescriptor, IntPtr y, IntPtr hDescriptor, IntPtr hx, IntPtr hy, IntPtr cDescriptor, IntPtr cx, IntPtr cy,
        nuint weightBytes, IntPtr weights, nuint workBytes, IntPtr work, nuint reserveBytes, IntPtr reserve)
    {
        var r = Rnn(rnn, nameof(cudnnRNNForward));
        CheckPass(nameof(cudnnRNNForward), rnn, forwardMode, xDescriptor, weightBytes, weights, workBytes, work, reserveBytes, reserve);
        lock (gate) forwards.Add((r.Algo, workBytes, reserveBytes));
        if (forwardMode != CuDnn.Training) return;
        if (RefuseForward(r.Algo, r.Math)) throw Refused("cuDNN", nameof(cudnnRNNForward), 9, "CUDNN_STATUS_NOT_SUPPORTED: fake refuses this pass");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalMilliseconds < PassMs(r.Algo, r.Math)) Thread.SpinWait(10);
    }

    public void cudnnRNNBackwardData_v8(IntPtr handle, IntPtr rnn, IntPtr deviceSequenceLengths, IntPtr yDescriptor, IntPtr y, IntPtr dy,
        IntPtr xDescriptor, IntPtr dx, IntPtr hDescriptor, IntPtr hx, IntPtr dhy, IntPtr dhx, IntPtr cDescriptor, IntPtr cx, IntPtr dcy, IntPtr dcx,
        nuint weightBytes, IntPtr weights, nuint workBytes, IntPtr work, nuint reserveBytes, IntPtr reserve) =>
        CheckPass(nameof(cudnnRNNBackwardData_v8), rnn, CuDnn.Training, xDescriptor, weightBytes, weights, workBytes, work, reserveBytes, reserve);

    public void cudnnRNNBackwardWeights_v8(IntPtr handle, IntPtr rnn, int gradMode, IntPtr deviceSequenceLengths, IntPtr xDescriptor, IntPtr x,
        IntPtr hDescriptor, IntPtr hx, IntPtr yDescriptor, IntPtr y, nuint weightBytes, IntPtr dweights, nuint workBytes, IntPtr work,
        nuint reserveBytes, IntPtr reserve)
    {
        CheckPass(nameof(cudnnRNNBackwardWeights_v8), rnn, CuDnn.Training, xDescriptor, weightBytes, dweights, workBytes, work, reserveBytes, reserve);
    }

    /// <summary>Frees whatever device memory is still held.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            foreach (var p in blocks.Keys) NativeMemory.Free((void*)p);
            blocks.Clear();
        }
    }
}
