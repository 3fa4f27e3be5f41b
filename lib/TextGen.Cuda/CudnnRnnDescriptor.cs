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
internal sealed class CudnnRnnDescriptor : IDisposable
{
    private readonly CudaDevice device;

    /// <summary>Creates and sets the descriptor; when cuDNN refuses the setting, the descriptor is destroyed before the exception leaves.</summary>
    public CudnnRnnDescriptor(CudaDevice device, CharRnnConfig config, int algo, int mathType, IntPtr dropout)
    {
        this.device = device;
        Config = config;
        Algo = algo;
        MathType = mathType;
        var api = device.Api;
        Handle = api.cudnnCreateRNNDescriptor();
        try
        {
            api.cudnnSetRNNDescriptor_v8(Handle, algo, CellMode(config.Arch), CuDnn.DoubleBias, CuDnn.Unidirectional,
                CuDnn.LinearInput, CuDnn.DataFloat, CuDnn.DataFloat, mathType, config.EmbeddingDim, config.HiddenSize, config.HiddenSize,
                config.NumLayers, dropout, CuDnn.PaddedIoDisabled);
            WeightSpaceBytes = (long)api.cudnnGetRNNWeightSpaceSize(device.DnnHandle, Handle);
        }
        catch
        {
            api.cudnnDestroyRNNDescriptor(Handle);
            throw;
        }
    }

    public IntPtr Handle { get; }
    public CharRnnConfig Config { get; }
    public int Algo { get; }
    public int MathType { get; }
    public long WeightSpaceBytes { get; }

    /// <summary>A short label such as <c>persist_static+tf32</c>, for benchmark reports.</summary>
    public string Label => LabelOf(Algo, MathType);

    /// <summary>The label of an (algorithm, math type) pair.</summary>
    public static string LabelOf(int algo, int mathType) => $"{(algo == CuDnn.AlgoPersistStatic ? "persist_static" : "standard")}+{mathType switch
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
        var api = device.Api;
        IntPtr matrixDesc = IntPtr.Zero, biasDesc = IntPtr.Zero;
        try
        {
            matrixDesc = api.cudnnCreateTensorDescriptor();
            biasDesc = api.cudnnCreateTensorDescriptor();
            for (int layer = 0; layer < Config.NumLayers; layer++)
            {
                int input = layer == 0 ? Config.EmbeddingDim : hidden;
                for (int id = 0; id < 2 * gates; id++)
                {
                    bool recurrent = id >= gates;
                    int gate = id % gates, columns = recurrent ? hidden : input;
                    var (matrix, bias) = api.cudnnGetRNNWeightParams(device.DnnHandle, Handle, layer, (nuint)WeightSpaceBytes, weightSpace, id, matrixDesc, biasDesc);
                    string suffix = $"{(recurrent ? "hh" : "ih")}_l{layer}";
                    regions.Add(Region($"rnn.weight_{suffix}", (long)gate * hidden * columns, matrix, api.cudnnGetTensorNdDescriptor(matrixDesc), (long)hidden * columns, weightSpace));
                    regions.Add(Region($"rnn.bias_{suffix}", (long)gate * hidden, bias, api.cudnnGetTensorNdDescriptor(biasDesc), hidden, weightSpace));
                }
            }
        }
        finally
        {
            if (matrixDesc != IntPtr.Zero) api.cudnnDestroyTensorDescriptor(matrixDesc);
            if (biasDesc != IntPtr.Zero) api.cudnnDestroyTensorDescriptor(biasDesc);
        }
        return regions;
    }

    private static WeightRegion Region(string name, long sourceOffset, IntPtr address, int[] dims, long expected, IntPtr space)
    {
        long length = 1;
        foreach (int d in dims) length *= d;
        if (address == IntPtr.Zero || length != expected)
            throw new CudaException($"cuDNN reports {length} elements for a gate of {name}, expected {expected}: its weight layout is not the one this backend knows");
        return new WeightRegion(name, sourceOffset, (address - space) / sizeof(float), length);
    }

    public void Dispose() => device.Api.cudnnDestroyRNNDescriptor(Handle);
}
