// Everything a training step of one (batch, seqLen) shape needs on the device: cuDNN's data descriptors for
// time-major input and output, the token ids, the activations and their gradients, and cuDNN's temporary spaces.
using TextGen.Cuda.Interop;
using TextGen.Nn;

namespace TextGen.Cuda;

/// <summary>Descriptors and device buffers for one batch shape; rows are time-major (row = t * batch + b), as cuDNN's SEQ_MAJOR layout wants.</summary>
internal sealed unsafe class TrainingBuffers : IDisposable
{
    private readonly CudaDevice device;

    public TrainingBuffers(CudaDevice device, CharRnnConfig config, int batch, int seqLen)
    {
        this.device = device;
        Batch = batch;
        SeqLen = seqLen;
        Rows = batch * seqLen;
        var lengths = Enumerable.Repeat(seqLen, batch).ToArray();
        XDesc = DataDescriptor(config.EmbeddingDim, lengths);
        YDesc = DataDescriptor(config.HiddenSize, lengths);
        CuDnn.Check(CuDnn.cudnnCreateTensorDescriptor(out var h));
        int* dims = stackalloc int[] { config.NumLayers, batch, config.HiddenSize };
        int* strides = stackalloc int[] { batch * config.HiddenSize, config.HiddenSize, 1 };
        CuDnn.Check(CuDnn.cudnnSetTensorNdDescriptor(h, CuDnn.DataFloat, 3, dims, strides));
        HDesc = h;

        var alloc = device.Allocator;
        long rows = Rows;
        DeviceMemoryCheck.EnsureFits($"a training batch of {batch} x {seqLen}", [
            ("token ids", (2 * rows + batch) * sizeof(int)),
            ("embeddings and their gradients", 2 * rows * config.EmbeddingDim * sizeof(float)),
            ("recurrent outputs and their gradients", (config.Dropout > 0 ? 3 : 2) * rows * config.HiddenSize * sizeof(float)),
            ("logits", rows * config.VocabularySize * sizeof(float)),
        ], DeviceMemoryCheck.AvailableBytes(alloc));
        SequenceLengths = alloc.Allocate<int>(batch);
        SequenceLengths.CopyFrom(lengths, device.Stream);
        Tokens = alloc.Allocate<int>(Rows);
        Targets = alloc.Allocate<int>(Rows);
        X = alloc.Allocate<float>((long)Rows * config.EmbeddingDim);   // (seq, batch, embedding)
        DX = alloc.Allocate<float>((long)Rows * config.EmbeddingDim);
        Y = alloc.Allocate<float>((long)Rows * config.HiddenSize);          // (seq, batch, hidden)
        DY = alloc.Allocate<float>((long)Rows * config.HiddenSize);
        if (config.Dropout > 0) DroppedY = alloc.Allocate<float>((long)Rows * config.HiddenSize);   // the decoder's input in training
        Logits = alloc.Allocate<float>((long)Rows * config.VocabularySize);      // (seq * batch, vocab), then its gradient
        HostTokens = new int[Rows];
        HostTargets = new int[Rows];
    }

    public int Batch { get; }
    public int SeqLen { get; }
    public int Rows { get; }
    public IntPtr XDesc { get; }
    public IntPtr YDesc { get; }
    public IntPtr HDesc { get; }
    public DeviceBuffer<int> SequenceLengths { get; }
    public DeviceBuffer<int> Tokens { get; }
    public DeviceBuffer<int> Targets { get; }
    public DeviceBuffer<float> X { get; }
    public DeviceBuffer<float> DX { get; }
    public DeviceBuffer<float> Y { get; }
    public DeviceBuffer<float> DY { get; }
    public DeviceBuffer<float> DroppedY { get; }
    public DeviceBuffer<float> Logits { get; }
    public DeviceBuffer<byte> Work { get; private set; }
    public DeviceBuffer<byte> Reserve { get; private set; }

    /// <summary>Staging arrays for the time-major ids, reused every step.</summary>
    public int[] HostTokens { get; }
    public int[] HostTargets { get; }

    /// <summary>cuDNN's workspace and reserve sizes for training with <paramref name="rnn"/> on this shape.</summary>
    public (long Work, long Reserve) TempSizes(CudnnRnnDescriptor rnn)
    {
        CuDnn.Check(CuDnn.cudnnGetRNNTempSpaceSizes(device.DnnHandle, rnn.Handle, CuDnn.Training, XDesc, out var work, out var reserve));
        return ((long)work, (long)reserve);
    }

    /// <summary>Sizes the temporary spaces for <paramref name="rnn"/>, reusing the allocator's cached blocks.</summary>
    public void PrepareFor(CudnnRnnDescriptor rnn)
    {
        var (work, reserve) = TempSizes(rnn);
        // The reserve space holds cuDNN's saved activations for backward: the part that grows with batch x seqLen x layers.
        DeviceMemoryCheck.EnsureFits($"cuDNN's recurrent pass on a batch of {Batch} x {SeqLen}", [
            ("saved activations", Math.Max(0, reserve - Reserve.Length)),
            ("workspace", Math.Max(0, work - Work.Length)),
        ], DeviceMemoryCheck.AvailableBytes(device.Allocator));
        if (Work.Length < work) { device.Allocator.Free(Work); Work = device.Allocator.Allocate<byte>(work); }
        if (Reserve.Length < reserve) { device.Allocator.Free(Reserve); Reserve = device.Allocator.Allocate<byte>(reserve); }
    }

    /// <summary>Sizes the workspace for cuDNN's inference pass with <paramref name="rnn"/>, which needs no reserve space.</summary>
    public void PrepareForInference(CudnnRnnDescriptor rnn)
    {
        CuDnn.Check(CuDnn.cudnnGetRNNTempSpaceSizes(device.DnnHandle, rnn.Handle, CuDnn.Inference, XDesc, out var work, out _));
        DeviceMemoryCheck.EnsureFits($"cuDNN's evaluation pass on a batch of {Batch} x {SeqLen}", [("workspace", Math.Max(0, (long)work - Work.Length))],
            DeviceMemoryCheck.AvailableBytes(device.Allocator));
        if (Work.Length < (long)work) { device.Allocator.Free(Work); Work = device.Allocator.Allocate<byte>((long)work); }
    }

    /// <summary>Copies batch-major ids (b, t) into time-major order (t, b) and uploads them.</summary>
    public void Upload(ReadOnlySpan<int> tokens, ReadOnlySpan<int> targets)
    {
        for (int b = 0; b < Batch; b++)
            for (int t = 0; t < SeqLen; t++)
            {
                HostTokens[t * Batch + b] = tokens[b * SeqLen + t];
                HostTargets[t * Batch + b] = targets[b * SeqLen + t];
            }
        Tokens.CopyFrom(HostTokens, device.Stream);
        Targets.CopyFrom(HostTargets, device.Stream);
    }

    private IntPtr DataDescriptor(int vectorSize, int[] lengths)
    {
        CuDnn.Check(CuDnn.cudnnCreateRNNDataDescriptor(out var d));
        fixed (int* p = lengths)
            CuDnn.Check(CuDnn.cudnnSetRNNDataDescriptor(d, CuDnn.DataFloat, CuDnn.SeqMajorUnpacked, SeqLen, Batch, vectorSize, p, null));
        return d;
    }

    public void Dispose()
    {
        CuDnn.cudnnDestroyRNNDataDescriptor(XDesc);
        CuDnn.cudnnDestroyRNNDataDescriptor(YDesc);
        CuDnn.cudnnDestroyTensorDescriptor(HDesc);
        var alloc = device.Allocator;
        alloc.Free(SequenceLengths); alloc.Free(Tokens); alloc.Free(Targets);
        alloc.Free(X); alloc.Free(DX); alloc.Free(Y); alloc.Free(DY); alloc.Free(DroppedY); alloc.Free(Logits);
        alloc.Free(Work); alloc.Free(Reserve);
    }
}
