// Trains the character model on the GPU: embedding gather, cuDNN's recurrent stack, cuBLAS decoder, fused
// cross-entropy, the backward pass, global-norm clipping and Adam, all queued on one stream with one read-back per step;
// the state can carry from batch to batch on the device, and evaluation runs cuDNN's inference pass on shapes of its own.
using TextGen.Cuda.Interop;
using TextGen.Nn;

namespace TextGen.Cuda;

/// <summary>A training loop for <see cref="CharRnnConfig"/> models that keeps parameters, gradients and Adam's moments on the GPU.</summary>
/// <remarks>The four live in one device buffer of four equal parts (parameters, gradients, first and second moments), each laid
/// out by <see cref="FlatParameterLayout"/>, so zeroing the gradients, their norm and the Adam update are one launch each.</remarks>
public sealed class CudaCharTrainer : IDisposable
{
    private readonly CudaDevice device;
    private readonly CudaTrainerOptions options;
    private readonly FlatParameterLayout layout;
    private readonly DeviceBuffer<float> flat;       // [parameters | gradients | m | v], each layout.Count floats
    private readonly DeviceBuffer<float> scalars;    // [loss sum, squared gradient norm]
    private readonly DeviceBuffer<byte> dropoutStates;
    private readonly IntPtr dropout;
    private readonly float[] lossHost = new float[1];
    private TrainingBuffers? buffers;
    private CudnnRnnDescriptor? rnn;
    private DeviceRecurrentState? trainState, evalState;
    private CudnnRnnDescriptor? evalRnn;
    private readonly Dictionary<(int Batch, int SeqLen), TrainingBuffers> evalBuffers = [];
    private bool disposed;

    /// <summary>Uploads <paramref name="parameters"/> (PyTorch names and layouts) and prepares the optimizer state.</summary>
    /// <exception cref="CudaUnavailableException">No usable GPU, driver or library; the message names what is missing.</exception>
    public CudaCharTrainer(CharRnnConfig config, IReadOnlyDictionary<string, float[]> parameters, CudaTrainerOptions? options = null)
    {
        GpuModelCheck.EnsureSupported(config);
        config.ValidateParameters(parameters);
        this.options = options ?? new CudaTrainerOptions();
        Config = config;
        device = CudaDevice.Default;
        var alloc = device.Allocator;

        CuDnn.Check(CuDnn.cudnnCreateDropoutDescriptor(out dropout));
        CuDnn.Check(CuDnn.cudnnDropoutGetStatesSize(device.DnnHandle, out var stateBytes));
        dropoutStates = alloc.Allocate<byte>((long)stateBytes);
        CuDnn.Check(CuDnn.cudnnSetDropoutDescriptor(dropout, device.DnnHandle, config.Dropout, dropoutStates.Pointer, stateBytes, this.options.Seed));

        // The layout comes from the STANDARD algorithm; the autotuner only accepts candidates that lay weights out the same way.
        using var reference = new CudnnRnnDescriptor(device, config, CuDnn.AlgoStandard, RnnAutotuner.Candidates(Precision)[0].Math, dropout);
        long spaceFloats = reference.WeightSpaceBytes / sizeof(float);
        long count = new FlatParameterLayout(config, spaceFloats, []).Count;
        DeviceMemoryCheck.EnsureFits($"a {config.NumLayers} x {config.HiddenSize} {config.Arch} model", [
            ("parameters and gradients", 2 * count * sizeof(float)),
            ("Adam's two moments", 2 * count * sizeof(float)),
        ], DeviceMemoryCheck.AvailableBytes(alloc));
        flat = alloc.Allocate<float>(4 * count);
        layout = new FlatParameterLayout(config, spaceFloats, reference.Regions(flat.Pointer));
        layout.CheckCoverage();
        flat.Fill(0, device.Stream);
        flat.CopyFrom(layout.Pack(parameters), device.Stream);
        scalars = alloc.Allocate<float>(2);
    }

    /// <summary>The model's shape.</summary>
    public CharRnnConfig Config { get; }

    /// <summary>The arithmetic in use.</summary>
    public Precision Precision => options.Precision;

    /// <summary>Number of optimizer steps taken (Adam's t); set when restoring saved moments.</summary>
    public int StepCount { get; internal set; }

    /// <summary>cuDNN's algorithm and math chosen for the latest shape, e.g. <c>persist_static+tf32</c>; empty before the first step.</summary>
    public string RnnSetting => rnn?.Label ?? "";

    private long Count => layout.Count;
    private IntPtr Parameters => flat.Pointer;
    private IntPtr Gradients => flat.At(Count);

    /// <summary>One training step: forward, mean cross-entropy, backward, global-norm clipping to <paramref name="clip"/> (none when 0), Adam at <paramref name="lr"/>.</summary>
    /// <param name="tokens">Input ids, batch-major (batch, seqLen), as a <c>batch_first</c> PyTorch batch.</param>
    /// <param name="targets">Target ids, same layout (usually the inputs shifted by one).</param>
    /// <param name="batch">Number of sequences.</param>
    /// <param name="seqLen">Length of each sequence.</param>
    /// <param name="lr">Adam's learning rate.</param>
    /// <param name="clip">Maximum global gradient norm, as <c>clip_grad_norm_</c>; 0 turns clipping off.</param>
    /// <returns>The step's loss before the update, as <c>F.cross_entropy</c> (mean over batch x seqLen).</returns>
    public float TrainStep(int[] tokens, int[] targets, int batch, int seqLen, float lr, float clip)
    {
        trainState?.Reset();
        EnqueueForwardBackward(tokens, targets, batch, seqLen, state: null, Tensors.Generator.SeedForStep(options.Seed, StepCount));
        EnqueueStep(lr, clip, normMeasured: false);
        return ReadLoss(buffers!.Rows);
    }

    /// <summary>Forward and backward only, leaving gradients for <see cref="ExportGradients"/> or <see cref="Step"/>; returns the loss.</summary>
    public float ForwardBackward(int[] tokens, int[] targets, int batch, int seqLen) =>
        ForwardBackward(tokens, targets, batch, seqLen, carryState: false, Tensors.Generator.SeedForStep(options.Seed, StepCount));

    /// <summary>
    /// Forward and backward; with <paramref name="carryState"/> the batch starts from the state the previous carried batch ended in
    /// (zeros after <see cref="ResetState"/> or a change of batch size) and keeps its own final state, without it from zeros.
    /// The dropout mask before the decoder comes from <paramref name="dropoutSeed"/> alone (<see cref="Tensors.Generator.SeedForStep"/>).
    /// </summary>
    internal float ForwardBackward(ReadOnlySpan<int> tokens, ReadOnlySpan<int> targets, int batch, int seqLen, bool carryState, ulong dropoutSeed)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        device.MakeCurrent();
        if (carryState) StateFor(ref trainState, batch);
        else trainState?.Reset();
        EnqueueForwardBackward(tokens, targets, batch, seqLen, carryState ? trainState : null, dropoutSeed);
        if (carryState) trainState!.Advance();
        return ReadLoss(buffers!.Rows);
    }

    /// <summary>Clips the current gradients to global norm <paramref name="clip"/> (none when 0) and applies one Adam step.</summary>
    public void Step(float lr, float clip)
    {
        EnqueueStep(lr, clip, normMeasured: false);
        device.Synchronize();
    }

    /// <summary>The global L2 norm of the current gradients; a following <see cref="StepAfterMeasuring"/> clips with it.</summary>
    internal double GradientNorm()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        device.MakeCurrent();
        scalars.Fill(0, device.Stream, offset: 1, count: 1);
        new KernelArgs().Add(Gradients).Add(Count).Add(scalars.At(1)).Launch(device.Kernels.SumOfSquares, (device.GridFor(Count), 1), (256, 1), 0, device.Stream);
        var host = new float[2];
        scalars.CopyTo(host, device.Stream);
        return Math.Sqrt(host[1]);
    }

    /// <summary>One Adam step at <paramref name="lr"/>, clipping to <paramref name="clip"/> (none when 0) with the norm <see cref="GradientNorm"/> measured.</summary>
    internal void StepAfterMeasuring(double lr, float clip) => EnqueueStep(lr, clip, normMeasured: true);

    /// <summary>The carried state on the CPU, (layers, batch, hidden), or null for zeros; setting it uploads it.</summary>
    internal RecurrentState? CarriedState
    {
        get
        {
            if (trainState is not { Valid: true } state) return null;
            device.MakeCurrent();
            return state.Download();
        }
        set
        {
            if (value is null) { trainState?.Reset(); return; }
            if (value.H.ShapeArray.Length != 3) throw new ArgumentException($"carried state h has shape [{string.Join(", ", value.H.ShapeArray)}]; it must be (layers, batch, hidden)");
            device.MakeCurrent();
            StateFor(ref trainState, value.H.ShapeArray[1]).Upload(value);
        }
    }

    /// <summary>Forgets the carried state.</summary>
    internal void ResetState() => trainState?.Reset();

    /// <summary>
    /// Mean cross-entropy of one batch with cuDNN's inference pass (no dropout, no gradients, the training state untouched), from zeros or,
    /// with <paramref name="continueState"/>, from the state the previous evaluation of the same batch size ended in.
    /// </summary>
    internal float EvaluateLoss(ReadOnlySpan<int> tokens, ReadOnlySpan<int> targets, int batch, int seqLen, bool continueState)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        CheckBatch(tokens, targets, batch, seqLen);
        device.MakeCurrent();
        device.UseBlasPrecision(Precision);
        var state = StateFor(ref evalState, batch);
        if (!continueState) state.Reset();
        // The standard algorithm, untuned: tuning would run training passes that overwrite the gradients between backward and step.
        var cell = evalRnn ??= new CudnnRnnDescriptor(device, Config, CuDnn.AlgoStandard, RnnAutotuner.Candidates(Precision)[0].Math, dropout);
        if (!evalBuffers.TryGetValue((batch, seqLen), out var b))
        {
            if (evalBuffers.Count >= 4) { foreach (var old in evalBuffers.Values) old.Dispose(); evalBuffers.Clear(); }
            b = evalBuffers[(batch, seqLen)] = new TrainingBuffers(device, Config, batch, seqLen);
            b.PrepareForInference(cell);
        }
        b.Upload(tokens, targets);
        var k = device.Kernels;
        IntPtr stream = device.Stream;
        int rows = b.Rows, e = Config.EmbeddingDim, v = Config.VocabularySize;
        scalars.Fill(0, stream, offset: 0, count: 1);   // the squared norm beside it may still wait for its step
        new KernelArgs().Add(flat.At(layout.EmbeddingOffset)).Add(b.Tokens.Pointer).Add(b.X.Pointer).Add(rows).Add(e)
            .Launch(k.EmbeddingForward, (device.GridFor((long)rows * e), 1), (256, 1), 0, stream);
        CuDnn.Check(CuDnn.cudnnRNNForward(device.DnnHandle, cell.Handle, CuDnn.Inference, b.SequenceLengths.Pointer, b.XDesc, b.X.Pointer, b.YDesc, b.Y.Pointer,
            b.HDesc, state.Hx, state.Hy, b.HDesc, state.Cx, state.Cy, (nuint)cell.WeightSpaceBytes, Parameters,
            (nuint)b.Work.Length, b.Work.Pointer, 0, IntPtr.Zero));
        device.Gemm(false, true, rows, v, Config.HiddenSize, b.Y.Pointer, flat.At(layout.DecoderWeightOffset), b.Logits.Pointer);
        new KernelArgs().Add(b.Logits.Pointer).Add(flat.At(layout.DecoderBiasOffset)).Add(b.Targets.Pointer).Add(scalars.Pointer).Add(rows).Add(v).Add(1f / rows)
            .Launch(k.CrossEntropy, ((uint)((rows + 7) / 8), 1), (256, 1), 0, stream);
        state.Advance();
        return ReadLoss(rows);
    }

    /// <summary>Overwrites the parameters from PyTorch-named arrays; the optimizer's moments are kept.</summary>
    internal void ImportParameters(IReadOnlyDictionary<string, float[]> parameters)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        device.MakeCurrent();
        flat.CopyFrom(layout.Pack(parameters), device.Stream);
        device.Synchronize();
    }

    /// <summary>Adam's first and second moments under the parameters' names.</summary>
    internal (Dictionary<string, float[]> ExpAvg, Dictionary<string, float[]> ExpAvgSq) ExportMoments() => (Export(2 * Count), Export(3 * Count));

    /// <summary>Restores Adam's moments (null: zeros, as before the first step) and its step count.</summary>
    internal void ImportMoments(IReadOnlyDictionary<string, float[]>? expAvg, IReadOnlyDictionary<string, float[]>? expAvgSq, int stepCount)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        device.MakeCurrent();
        if (expAvg is null) flat.Fill(0, device.Stream, 2 * Count, Count);
        else flat.CopyFrom(layout.Pack(expAvg), device.Stream, 2 * Count);
        if (expAvgSq is null) flat.Fill(0, device.Stream, 3 * Count, Count);
        else flat.CopyFrom(layout.Pack(expAvgSq), device.Stream, 3 * Count);
        device.Synchronize();
        StepCount = stepCount;
    }

    private DeviceRecurrentState StateFor(ref DeviceRecurrentState? state, int batch)
    {
        if (state is { } s && s.Batch == batch) return s;
        state?.Dispose();
        return state = new DeviceRecurrentState(device, Config, batch);
    }

    /// <summary>The parameters, copied back under PyTorch's names and layouts.</summary>
    public Dictionary<string, float[]> ExportParameters() => Export(0);

    /// <summary>The gradients of the last backward pass, under the parameters' names (before clipping).</summary>
    public Dictionary<string, float[]> ExportGradients() => Export(Count);

    /// <summary>A batch-1 generator holding a copy of the current parameters.</summary>
    public CudaCharGenerator CreateGenerator() => new(Config, ExportParameters());

    private Dictionary<string, float[]> Export(long offset)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        device.MakeCurrent();
        var host = new float[Count];
        flat.CopyTo(host, device.Stream, offset);
        return layout.Unpack(host);
    }

    // A null state starts from zeros and drops the final one; otherwise cuDNN reads hx/cx from it and writes hy/cy into it.
    private void EnqueueForwardBackward(ReadOnlySpan<int> tokens, ReadOnlySpan<int> targets, int batch, int seqLen, DeviceRecurrentState? state, ulong dropoutSeed)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        CheckBatch(tokens, targets, batch, seqLen);
        device.MakeCurrent();
        var b = BuffersFor(batch, seqLen);
        b.Upload(tokens, targets);
        var k = device.Kernels;
        IntPtr stream = device.Stream;
        int rows = b.Rows, e = Config.EmbeddingDim, h = Config.HiddenSize, v = Config.VocabularySize;
        IntPtr embedding = flat.At(layout.EmbeddingOffset), decoderW = flat.At(layout.DecoderWeightOffset), decoderB = flat.At(layout.DecoderBiasOffset);
        IntPtr gradEmbedding = flat.At(Count + layout.EmbeddingOffset), gradDecoderW = flat.At(Count + layout.DecoderWeightOffset);
        IntPtr gradDecoderB = flat.At(Count + layout.DecoderBiasOffset);

        flat.Fill(0, stream, Count, Count);          // cuDNN and the scatter kernels accumulate into gradients
        scalars.Fill(0, stream);
        new KernelArgs().Add(embedding).Add(b.Tokens.Pointer).Add(b.X.Pointer).Add(rows).Add(e)
            .Launch(k.EmbeddingForward, (device.GridFor((long)rows * e), 1), (256, 1), 0, stream);
        var cell = rnn!;
        IntPtr dnn = device.DnnHandle, none = IntPtr.Zero, seq = b.SequenceLengths.Pointer;
        IntPtr hx = state?.Hx ?? none, cx = state?.Cx ?? none, hy = state?.Hy ?? none, cy = state?.Cy ?? none;
        nuint wBytes = (nuint)cell.WeightSpaceBytes, work = (nuint)b.Work.Length, reserve = (nuint)b.Reserve.Length;
        CuDnn.Check(CuDnn.cudnnRNNForward(dnn, cell.Handle, CuDnn.Training, seq, b.XDesc, b.X.Pointer, b.YDesc, b.Y.Pointer,
            b.HDesc, hx, hy, b.HDesc, cx, cy, wBytes, Parameters, work, b.Work.Pointer, reserve, b.Reserve.Pointer));

        // As the CPU model: dropout on the top layer's output before the decoder (cuDNN drops between layers itself).
        float p = Config.Dropout;
        long outputs = (long)rows * h;
        IntPtr top = p > 0 ? b.DroppedY.Pointer : b.Y.Pointer;
        if (p > 0)
            new KernelArgs().Add(b.Y.Pointer).Add(top).Add(outputs).Add(p).Add(dropoutSeed)
                .Launch(k.Dropout, (device.GridFor(outputs), 1), (256, 1), 0, stream);
        device.Gemm(false, true, rows, v, h, top, decoderW, b.Logits.Pointer);                 // (rows, vocab) = y · Wᵀ
        new KernelArgs().Add(b.Logits.Pointer).Add(decoderB).Add(b.Targets.Pointer).Add(scalars.Pointer).Add(rows).Add(v).Add(1f / rows)
            .Launch(k.CrossEntropy, ((uint)((rows + 7) / 8), 1), (256, 1), 0, stream);      // logits now hold dLoss/dlogits
        device.Gemm(true, false, v, h, rows, b.Logits.Pointer, top, gradDecoderW);            // (vocab, hidden) = dlogitsᵀ · y
        new KernelArgs().Add(b.Logits.Pointer).Add(gradDecoderB).Add(rows).Add(v)
            .Launch(k.BiasBackward, ((uint)((v + 31) / 32), (uint)Math.Min((rows + 7) / 8, 128)), (32, 8), 0, stream);
        device.Gemm(false, false, rows, h, v, b.Logits.Pointer, decoderW, b.DY.Pointer);       // (rows, hidden) = dlogits · W
        if (p > 0)                                                                             // the same mask, in place
            new KernelArgs().Add(b.DY.Pointer).Add(b.DY.Pointer).Add(outputs).Add(p).Add(dropoutSeed)
                .Launch(k.Dropout, (device.GridFor(outputs), 1), (256, 1), 0, stream);

        // Truncated BPTT: the carried state enters as a constant, so no gradient flows into hx/cx (dhx, dcx null) or out of hy/cy (dhy, dcy null).
        CuDnn.Check(CuDnn.cudnnRNNBackwardData_v8(dnn, cell.Handle, seq, b.YDesc, b.Y.Pointer, b.DY.Pointer, b.XDesc, b.DX.Pointer,
            b.HDesc, hx, none, none, b.HDesc, cx, none, none, wBytes, Parameters, work, b.Work.Pointer, reserve, b.Reserve.Pointer));
        CuDnn.Check(CuDnn.cudnnRNNBackwardWeights_v8(dnn, cell.Handle, CuDnn.WgradAdd, seq, b.XDesc, b.X.Pointer, b.HDesc, hx,
            b.YDesc, b.Y.Pointer, wBytes, Gradients, work, b.Work.Pointer, reserve, b.Reserve.Pointer));
        new KernelArgs().Add(b.DX.Pointer).Add(b.Tokens.Pointer).Add(gradEmbedding).Add(rows).Add(e)
            .Launch(k.EmbeddingBackward, (device.GridFor((long)rows * e), 1), (256, 1), 0, stream);
    }

    private void EnqueueStep(double lr, float clip, bool normMeasured)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (!(lr >= 0) || !(clip >= 0)) throw new ArgumentException($"lr ({lr}) and clip ({clip}) must be non-negative numbers (clip 0 turns clipping off)");
        if (float.IsPositiveInfinity(clip)) clip = 0;
        device.MakeCurrent();
        var k = device.Kernels;
        IntPtr stream = device.Stream, sqNorm = scalars.At(1);
        (uint, uint) grid = (device.GridFor(Count), 1);
        if (clip > 0 && !normMeasured)
        {
            scalars.Fill(0, stream, offset: 1, count: 1);
            new KernelArgs().Add(Gradients).Add(Count).Add(sqNorm).Launch(k.SumOfSquares, grid, (256, 1), 0, stream);
        }
        StepCount++;
        // As TextGen's AdamKernel and PyTorch: the scalars in double, then float32.
        float stepSize = (float)(lr / (1 - Math.Pow(options.Beta1, StepCount)));
        float bc2Sqrt = (float)Math.Sqrt(1 - Math.Pow(options.Beta2, StepCount));
        float l2 = options.DecoupledWeightDecay ? 0f : options.WeightDecay;
        float decay = options.DecoupledWeightDecay ? (float)(1 - lr * options.WeightDecay) : 1f;
        new KernelArgs().Add(Parameters).Add(Gradients).Add(flat.At(2 * Count)).Add(flat.At(3 * Count)).Add(Count).Add(sqNorm).Add(clip)
            .Add(stepSize).Add(options.Beta1).Add(options.Beta2).Add(options.Eps).Add(bc2Sqrt).Add(l2).Add(decay)
            .Launch(k.AdamStep, grid, (256, 1), 0, stream);
    }

    private float ReadLoss(int rows)
    {
        scalars.CopyTo(lossHost, device.Stream);
        return lossHost[0] / rows;
    }

    private TrainingBuffers BuffersFor(int batch, int seqLen)
    {
        if (buffers is { } current && current.Batch == batch && current.SeqLen == seqLen) return current;
        buffers?.Dispose();
        rnn?.Dispose();
        buffers = new TrainingBuffers(device, Config, batch, seqLen);
        // Tuning overwrites the gradient part, which the step zeroes before use anyway.
        rnn = RnnAutotuner.Choose(device, Config, Precision, dropout, buffers, layout, Parameters, Gradients, options.Log);
        device.UseBlasPrecision(Precision);
        return buffers;
    }

    private void CheckBatch(ReadOnlySpan<int> tokens, ReadOnlySpan<int> targets, int batch, int seqLen)
    {
        if (batch < 1 || seqLen < 1) throw new ArgumentException($"batch ({batch}) and seqLen ({seqLen}) must be at least 1");
        long rows = (long)batch * seqLen;
        if (tokens.Length != rows || targets.Length != rows)
            throw new ArgumentException($"tokens ({tokens.Length}) and targets ({targets.Length}) must each hold batch x seqLen = {rows} ids, batch-major");
        int v = Config.VocabularySize;
        for (int i = 0; i < tokens.Length; i++)
            if ((uint)tokens[i] >= (uint)v || (uint)targets[i] >= (uint)v)
                throw new ArgumentException($"id {((uint)tokens[i] >= (uint)v ? tokens[i] : targets[i])} at position {i} is outside the vocabulary [0, {v})");
    }

    /// <summary>Returns the device memory to the allocator's cache and frees the cuDNN descriptors.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        buffers?.Dispose();
        rnn?.Dispose();
        trainState?.Dispose();
        evalState?.Dispose();
        evalRnn?.Dispose();
        foreach (var b in evalBuffers.Values) b.Dispose();
        CuDnn.cudnnDestroyDropoutDescriptor(dropout);
        device.Allocator.Free(flat);
        device.Allocator.Free(scalars);
        device.Allocator.Free(dropoutStates);
    }
}
