// A cuDNN RNN descriptor for the model's recurrent stack with one algorithm and math type, and the map from
// PyTorch's per-layer weight matrices (one block of rows per gate) to cuDNN's weight space.
using TextGen.Cuda.Interop;
using TextGen.Nn;

namespace TextGen.Cuda;

/// <summary>Where one gate's matrix or bias of a PyTorch parameter lives in cuDNN's weight space (offsets in floats).</summary>
/// <param name="Name">PyTorch parameter name, e.g. <c>rnn.weight_ih_l0</c>.</param>
/// <param name="SourceOffset">First element of this gate's rows inside the PyTorch tensor.</param>
/// <param name="SpaceOffset">First element inside cuDNN's weight space.</param>
/// <param name="Length">Number of elements (hidden x input for a matrix, hidden for a bias).</param>
internal readonly record struct WeightRegion(string Name, long SourceOffset, long SpaceOffset, long Length);

/// <summary>An RNN descriptor (cell, sizes, double bias, dropout between layers) with a chosen algorithm and math type.</summary>
internal sealed unsafe class CudnnRnnDescriptor : IDisposable
{
    private readonly CudaDevice device;

    public CudnnRnnDescriptor(CudaDevice device, CharRnnConfig config, int algo, int mathType, IntPtr dropout)
    {
        this.device = device;
        Config = config;
        Algo = algo;
        MathType = mathType;
        CuDnn.Check(CuDnn.cudnnCreateRNNDescriptor(out var handle));
        Handle = handle;
        CuDnn.Check(CuDnn.cudnnSetRNNDescriptor_v8(handle, algo, CellMode(config.Arch), CuDnn.DoubleBias, CuDnn.Unidirectional,
            CuDnn.LinearInput, CuDnn.DataFloat, CuDnn.DataFloat, mathType, config.EmbeddingDim, config.HiddenSize, config.HiddenSize,
            config.NumLayers, dropout, CuDnn.PaddedIoDisabled));
        CuDnn.Check(CuDnn.cudnnGetRNNWeightSpaceSize(device.DnnHandle, handle, out var bytes));
        WeightSpaceBytes = (long)bytes;
    }

    public IntPtr Handle { get; }
    public CharRnnConfig Config { get; }
    public int Algo { get; }
    public int MathType { get; }
    public long WeightSpaceBytes { get; }

    /// <summary>A short label such as <c>persist_static+tf32</c>, for benchmark reports.</summary>
    public string Label => $"{(Algo == CuDnn.AlgoPersistStatic ? "persist_static" : "standard")}+{MathType switch
    {
        CuDnn.FmaMath => "fma",
        CuDnn.TensorOpMathAllowConversion => "tf32",
        _ => "default",
    }}";

    /// <summary>cudnnRNNMode_t of an architecture (RNN_RELU 0, RNN_TANH 1, LSTM 2, GRU 3); the generation kernel uses the same numbers.</summary>
    public static int CellMode(RecurrentArch arch) => arch switch
    {
        RecurrentArch.RnnRelu => 0,
        RecurrentArch.Rnn => 1,
        RecurrentArch.Lstm => 2,
        RecurrentArch.Gru => 3,
    };

    /// <summary>Asks cuDNN where each gate's matrix and bias lives, for a weight space starting at <paramref name="weightSpace"/>.</summary>
    /// <remarks>cuDNN numbers the linear layers of a pseudo-layer 0..G-1 for the input weights and G..2G-1 for the recurrent
    /// ones, gates in the order i, f, g, o (LSTM) and r, z, n (GRU), which is PyTorch's row-block order too.</remarks>
    public IReadOnlyList<WeightRegion> Regions(IntPtr weightSpace)
    {
        var regions = new List<WeightRegion>();
        int gates = Config.Gates, hidden = Config.HiddenSize;
        CuDnn.Check(CuDnn.cudnnCreateTensorDescriptor(out var matrixDesc));
        CuDnn.Check(CuDnn.cudnnCreateTensorDescriptor(out var biasDesc));
        try
        {
            for (int layer = 0; layer < Config.NumLayers; layer++)
            {
                int input = layer == 0 ? Config.EmbeddingDim : hidden;
                for (int id = 0; id < 2 * gates; id++)
                {
                    bool recurrent = id >= gates;
                    int gate = id % gates, columns = recurrent ? hidden : input;
                    CuDnn.Check(CuDnn.cudnnGetRNNWeightParams(device.DnnHandle, Handle, layer, (nuint)WeightSpaceBytes, weightSpace, id,
                        matrixDesc, out var matrix, biasDesc, out var bias));
                    string suffix = $"{(recurrent ? "hh" : "ih")}_l{layer}";
                    regions.Add(Region($"rnn.weight_{suffix}", (long)gate * hidden * columns, matrix, matrixDesc, (long)hidden * columns, weightSpace));
                    regions.Add(Region($"rnn.bias_{suffix}", (long)gate * hidden, bias, biasDesc, hidden, weightSpace));
                }
            }
        }
        finally
        {
            CuDnn.cudnnDestroyTensorDescriptor(matrixDesc);
            CuDnn.cudnnDestroyTensorDescriptor(biasDesc);
        }
        return regions;
    }

    private static WeightRegion Region(string name, long sourceOffset, IntPtr address, IntPtr descriptor, long expected, IntPtr space)
    {
        int* dims = stackalloc int[8];
        int* strides = stackalloc int[8];
        CuDnn.Check(CuDnn.cudnnGetTensorNdDescriptor(descriptor, 8, out _, out int count, dims, strides));
        long length = 1;
        for (int i = 0; i < count; i++) length *= dims[i];
        if (address == IntPtr.Zero || length != expected)
            throw new CudaException($"cuDNN reports {length} elements for a gate of {name}, expected {expected}: its weight layout is not the one this backend knows");
        return new WeightRegion(name, sourceOffset, (address - space) / sizeof(float), length);
    }

    public void Dispose() => CuDnn.cudnnDestroyRNNDescriptor(Handle);
}
