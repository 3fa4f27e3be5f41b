// Everything a training step of one (batch, seqLen) shape needs on the device: cuDNN's data descriptors for
// time-major input and output, the token ids, the activations and their gradients, and cuDNN's temporary spaces.
using TextGen.Cuda.Interop;
using TextGen.Nn;

namespace TextGen.Cuda;

/// <summary>Descriptors and device buffers for one batch shape; rows are time-major (row = t * batch + b), as cuDNN's SEQ_MAJOR layout wants.</summary>
/// <remarks>Built whole or not at all: the memory is checked before anything is created, and a failure part-way frees what was made.</remarks>
internal sealed class TrainingBuffers : IDisposable
{
    private readonly CudaDevice device;
    private bool disposed;

    public TrainingBuffers(CudaDevice device, CharRnnConfig config, int batch, int seqLen)
    {
        this.device = device;
        Batch = batch;
        SeqLen = seqLen;
        Rows = batch * seqLen;
        long rows = Rows;
        var alloc = device.Allocator;
        DeviceMemoryCheck.EnsureFits($"a training batch of {batch} x {seqLen}", [
            ("token ids", (2 * rows + batch) * sizeof(int)),
            ("embeddings and their gradients", 2 * rows * config.EmbeddingDim * sizeof(float)),
            ("recurrent outputs and their gradients", (config.Dropout > 0 ? 3 : 2) * rows * config.HiddenSize * sizeof(float)),
            ("logits", rows * config.VocabularySize * sizeof(float)),
        ], alloc.AvailableBytes());
        try
        {
            var lengths = Enumerable.Repeat(seqLen, batch).ToArray();
            XDesc = DataDescriptor(config.EmbeddingDim, lengths);
            YDesc = DataDescriptor(config.HiddenSize, lengths);
            HDesc = device.Api.cudnnCreateTensorDescriptor();
            device.Api.cudnnSetTensorNdDescriptor(HDesc, CuDnn.DataFloat, [config.NumLayers, batch, config.HiddenSize], [batch * config.HiddenSize, config.HiddenSize, 1]);
            SequenceLengths = alloc.Allocate<int>(batch);
            SequenceLengths.CopyFrom(device, lengths);
            Tokens = alloc.Allocate<int>(Rows);
            Targets = alloc.Allocate<int>(Rows);
            X = alloc.Allocate<float>(rows * config.EmbeddingDim);   // (seq, batch, embedding)
            DX = alloc.Allocate<float>(rows * config.EmbeddingDim);
            Y = alloc.Allocate<float>(rows * config.HiddenSize);      // (seq, batch, hidden)
            DY = alloc.Allocate<float>(rows * config.HiddenSize);
            if (config.Dropout > 0) DroppedY = alloc.Allocate<float>(rows * config.HiddenSize);   // the decoder's input in training
            Logits = alloc.Allocate<float>(rows * config.VocabularySize);                         // (seq * batch, vocab), then its gradient
        }
        catch
        {
            Dispose();
            throw;
        }
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

    /// <summary>
    /// Sizes cuDNN's workspace and reserve space for <paramref name="rnn"/> in <paramref name="forwardMode"/> (inference needs no reserve):
    /// grown when too small, and with <paramref name="exact"/> also shrunk, so a tuning candidate's larger needs are not kept for the winner.
    /// </summary>
    public void PrepareFor(CudnnRnnDescriptor rnn, int forwardMode = CuDnn.Training, bool exact = false)
    {
        var (work, reserve) = device.Api.cudnnGetRNNTempSpaceSizes(device.DnnHandle, rnn.Handle, forwardMode, XDesc);
        long needWork = (long)work, needReserve = forwardMode == CuDnn.Training ? (long)reserve : Reserve.Length;
        bool resizeWork = Work.Length < needWork || (exact && Work.Length != needWork);
        bool resizeReserve = Reserve.Length < needReserve || (exact && Reserve.Length != needReserve);
        // The reserve space holds cuDNN's saved activations for backward: the part that grows with batch x seqLen x layers.
        DeviceMemoryCheck.EnsureFits($"cuDNN's recurrent pass ({rnn.Label}) on a batch of {Batch} x {SeqLen}", [
            ("saved activations", resizeReserve ? needReserve : 0),
            ("workspace", resizeWork ? needWork : 0),
        ], device.Allocator.AvailableBytes() + (resizeWork ? Work.Bytes : 0) + (resizeReserve ? Reserve.Bytes : 0));
        // Each old space is returned and its property cleared before the new one is asked for: when that allocation fails,
        // no property still names a block the allocator has taken back (and may have given to the driver or another owner).
        if (resizeWork)
        {
            device.Allocator.Free(Work);
            Work = default;
            Work = Allocate(needWork);
        }
        if (resizeReserve)
        {
            device.Allocator.Free(Reserve);
            Reserve = default;
            Reserve = Allocate(needReserve);
        }
    }

    private DeviceBuffer<byte> Allocate(long bytes) => bytes > 0 ? device.Allocator.Allocate<byte>(bytes) : default;

    /// <summary>Copies batch-major ids (b, t) into time-major order (t, b) and uploads them.</summary>
    public void Upload(ReadOnlySpan<int> tokens, ReadOnlySpan<int> targets)
    {
        for (int b = 0; b < Batch; b++)
            for (int t = 0; t < SeqLen; t++)
            {
                HostTokens[t * Batch + b] = tokens[b * SeqLen + t];
                HostTargets[t * Batch + b] = targets[b * SeqLen + t];
            }
        Tokens.CopyFrom(device, HostTokens);
        Targets.CopyFrom(device, HostTargets);
    }

    private IntPtr DataDescriptor(int vectorSize, int[] lengths)
    {
        var d = device.Api.cudnnCreateRNNDataDescriptor();
        try { device.Api.cudnnSetRNNDataDescriptor(d, CuDnn.DataFloat, CuDnn.SeqMajorUnpacked, SeqLen, Batch, vectorSize, lengths); }
        catch { device.Api.cudnnDestroyRNNDataDescriptor(d); throw; }
        return d;
    }

    /// <summary>Destroys the descriptors and returns the buffers; also cleans up a part-built instance, and a second call does nothing.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        var api = device.Api;
        if (XDesc != IntPtr.Zero) api.cudnnDestroyRNNDataDescriptor(XDesc);
        if (YDesc != IntPtr.Zero) api.cudnnDestroyRNNDataDescriptor(YDesc);
        if (HDesc != IntPtr.Zero) api.cudnnDestroyTensorDescriptor(HDesc);
        var alloc = device.Allocator;
        alloc.Free(SequenceLengths); alloc.Free(Tokens); alloc.Free(Targets);
        alloc.Free(X); alloc.Free(DX); alloc.Free(Y); alloc.Free(DY); alloc.Free(DroppedY); alloc.Free(Logits);
        alloc.Free(Work); alloc.Free(Reserve);
    }
}
