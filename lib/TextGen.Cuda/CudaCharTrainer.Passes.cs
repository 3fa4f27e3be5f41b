// The GPU trainer's passes: embedding gather, cuDNN's recurrent stack, the cuBLAS decoder and the fused cross-entropy forward,
// the same backward, and cuDNN's inference pass for evaluation on shapes of its own; with the buffers and the carried state they use.
using TextGen.Cuda.Interop;
using TextGen.Nn;
using TextGen.Tensors;

namespace TextGen.Cuda;

internal sealed partial class CudaCharTrainer
{
    private TrainingBuffers? buffers;
    private CudnnRnnDescriptor? rnn;
    private DeviceRecurrentState? trainState, evalState;
    private CudnnRnnDescriptor? evalRnn;
    private readonly Dictionary<(int Batch, int SeqLen), TrainingBuffers> evalBuffers = [];

    /// <summary>
    /// Forward and backward; with <paramref name="carryState"/> the batch starts from the state the previous carried batch ended in
    /// (zeros after <see cref="CarriedState"/> is set to null or the batch size changes) and keeps its own final state, without it from zeros.
    /// The dropout mask before the decoder comes from <paramref name="dropoutSeed"/> alone (<see cref="Generator.SeedForStep"/>).
    /// </summary>
    public float ForwardBackward(ReadOnlySpan<int> tokens, ReadOnlySpan<int> targets, int batch, int seqLen, bool carryState, ulong dropoutSeed)
    {
        CheckBatch(tokens, targets, batch, seqLen);
        using var scope = Enter();
        EnsureOptimizerState();
        var state = carryState ? StateFor(ref trainState, batch) : null;
        if (!carryState) trainState?.Reset();
        var b = BuffersFor(batch, seqLen);
        b.Upload(tokens, targets);
        var k = device.Kernels;
        int rows = b.Rows, e = Config.EmbeddingDim, h = Config.HiddenSize, v = Config.VocabularySize;
        IntPtr embedding = parameters.At(layout.EmbeddingOffset), decoderW = parameters.At(layout.DecoderWeightOffset), decoderB = parameters.At(layout.DecoderBiasOffset);
        IntPtr gradEmbedding = optimizer.At(layout.EmbeddingOffset), gradDecoderW = optimizer.At(layout.DecoderWeightOffset), gradDecoderB = optimizer.At(layout.DecoderBiasOffset);

        optimizer.Fill(device, 0, 0, Count);          // cuDNN and the scatter kernels accumulate into the gradients
        scalars.Fill(device, 0);
        new KernelArgs().Add(embedding).Add(b.Tokens.Pointer).Add(b.X.Pointer).Add(rows).Add(e)
            .Launch(device, k.EmbeddingForward, (device.GridFor((long)rows * e), 1), (256, 1));
        var cell = rnn!;
        var api = device.Api;
        IntPtr dnn = device.DnnHandle, none = IntPtr.Zero, seq = b.SequenceLengths.Pointer;
        // A null state starts from zeros and drops the final one; otherwise cuDNN reads hx/cx from it and writes hy/cy into it.
        IntPtr hx = state?.Hx ?? none, cx = state?.Cx ?? none, hy = state?.Hy ?? none, cy = state?.Cy ?? none;
        nuint wBytes = (nuint)cell.WeightSpaceBytes, work = (nuint)b.Work.Length, reserve = (nuint)b.Reserve.Length;
        api.cudnnRNNForward(dnn, cell.Handle, CuDnn.Training, seq, b.XDesc, b.X.Pointer, b.YDesc, b.Y.Pointer,
            b.HDesc, hx, hy, b.HDesc, cx, cy, wBytes, parameters.Pointer, work, b.Work.Pointer, reserve, b.Reserve.Pointer);

        // As the CPU model: dropout on the top layer's output before the decoder (cuDNN drops between layers itself).
        float p = Config.Dropout;
        long outputs = (long)rows * h;
        IntPtr top = p > 0 ? b.DroppedY.Pointer : b.Y.Pointer;
        if (p > 0)
            new KernelArgs().Add(b.Y.Pointer).Add(top).Add(outputs).Add(p).Add(dropoutSeed).Launch(device, k.Dropout, (device.GridFor(outputs), 1), (256, 1));
        device.Gemm(Precision, false, true, rows, v, h, top, decoderW, b.Logits.Pointer);                 // (rows, vocab) = y · Wᵀ
        new KernelArgs().Add(b.Logits.Pointer).Add(decoderB).Add(b.Targets.Pointer).Add(scalars.Pointer).Add(rows).Add(v).Add(1f / rows)
            .Launch(device, k.CrossEntropy, ((uint)((rows + 7) / 8), 1), (256, 1));                      // logits now hold dLoss/dlogits
        device.Gemm(Precision, true, false, v, h, rows, b.Logits.Pointer, top, gradDecoderW);            // (vocab, hidden) = dlogitsᵀ · y
        new KernelArgs().Add(b.Logits.Pointer).Add(gradDecoderB).Add(rows).Add(v)
            .Launch(device, k.BiasBackward, ((uint)((v + 31) / 32), (uint)Math.Min((rows + 7) / 8, 128)), (32, 8));
        device.Gemm(Precision, false, false, rows, h, v, b.Logits.Pointer, decoderW, b.DY.Pointer);       // (rows, hidden) = dlogits · W
        if (p > 0)                                                                                       // the same mask, in place
            new KernelArgs().Add(b.DY.Pointer).Add(b.DY.Pointer).Add(outputs).Add(p).Add(dropoutSeed).Launch(device, k.Dropout, (device.GridFor(outputs), 1), (256, 1));

        // Truncated BPTT: the carried state enters as a constant, so no gradient flows into hx/cx (dhx, dcx null) or out of hy/cy (dhy, dcy null).
        api.cudnnRNNBackwardData_v8(dnn, cell.Handle, seq, b.YDesc, b.Y.Pointer, b.DY.Pointer, b.XDesc, b.DX.Pointer,
            b.HDesc, hx, none, none, b.HDesc, cx, none, none, wBytes, parameters.Pointer, work, b.Work.Pointer, reserve, b.Reserve.Pointer);
        api.cudnnRNNBackwardWeights_v8(dnn, cell.Handle, CuDnn.WgradAdd, seq, b.XDesc, b.X.Pointer, b.HDesc, hx,
            b.YDesc, b.Y.Pointer, wBytes, Gradients, work, b.Work.Pointer, reserve, b.Reserve.Pointer);
        new KernelArgs().Add(b.DX.Pointer).Add(b.Tokens.Pointer).Add(gradEmbedding).Add(rows).Add(e)
            .Launch(device, k.EmbeddingBackward, (device.GridFor((long)rows * e), 1), (256, 1));
        state?.Advance();
        return ReadLoss(rows);
    }

    /// <summary>
    /// Mean cross-entropy of one batch with cuDNN's inference pass (no dropout, no gradients, the training state untouched), from zeros or,
    /// with <paramref name="continueState"/>, from the state the previous evaluation of the same batch size ended in.
    /// </summary>
    public float EvaluateLoss(ReadOnlySpan<int> tokens, ReadOnlySpan<int> targets, int batch, int seqLen, bool continueState)
    {
        CheckBatch(tokens, targets, batch, seqLen);
        using var scope = Enter();
        var state = StateFor(ref evalState, batch);
        if (!continueState) state.Reset();
        // The standard algorithm, untuned: tuning would run training passes that overwrite the gradients between backward and step.
        var cell = evalRnn ??= new CudnnRnnDescriptor(device, Config, CuDnn.AlgoStandard, RnnAutotuner.Candidates(Precision)[0].Math, dropout);
        var b = EvalBuffersFor(batch, seqLen, cell);
        b.Upload(tokens, targets);
        var k = device.Kernels;
        int rows = b.Rows, e = Config.EmbeddingDim, v = Config.VocabularySize;
        scalars.Fill(device, 0, offset: 0, count: 1);
        new KernelArgs().Add(parameters.At(layout.EmbeddingOffset)).Add(b.Tokens.Pointer).Add(b.X.Pointer).Add(rows).Add(e)
            .Launch(device, k.EmbeddingForward, (device.GridFor((long)rows * e), 1), (256, 1));
        device.Api.cudnnRNNForward(device.DnnHandle, cell.Handle, CuDnn.Inference, b.SequenceLengths.Pointer, b.XDesc, b.X.Pointer, b.YDesc, b.Y.Pointer,
            b.HDesc, state.Hx, state.Hy, b.HDesc, state.Cx, state.Cy, (nuint)cell.WeightSpaceBytes, parameters.Pointer,
            (nuint)b.Work.Length, b.Work.Pointer, 0, IntPtr.Zero);
        device.Gemm(Precision, false, true, rows, v, Config.HiddenSize, b.Y.Pointer, parameters.At(layout.DecoderWeightOffset), b.Logits.Pointer);
        new KernelArgs().Add(b.Logits.Pointer).Add(parameters.At(layout.DecoderBiasOffset)).Add(b.Targets.Pointer).Add(scalars.Pointer).Add(rows).Add(v).Add(1f / rows)
            .Launch(device, k.CrossEntropy, ((uint)((rows + 7) / 8), 1), (256, 1));
        state.Advance();
        return ReadLoss(rows);
    }

    /// <summary>The carried state on the CPU, (layers, batch, hidden), or null for zeros; setting it uploads it.</summary>
    public RecurrentState? CarriedState
    {
        get
        {
            using var scope = Enter();
            return trainState is { Valid: true } state ? state.Download() : null;
        }
        set
        {
            using var scope = Enter();
            if (value is null) { trainState?.Reset(); return; }
            if (value.H.ShapeArray.Length != 3) throw new ArgumentException($"carried state h has shape [{string.Join(", ", value.H.ShapeArray)}]; it must be (layers, batch, hidden)");
            StateFor(ref trainState, value.H.ShapeArray[1]).Upload(value);
        }
    }

    private float ReadLoss(int rows)
    {
        scalars.CopyTo(device, hostScalars.AsSpan(0, 1));
        return hostScalars[0] / rows;
    }

    private DeviceRecurrentState StateFor(ref DeviceRecurrentState? state, int batch)
    {
        if (state is { } s && s.Batch == batch) return s;
        state?.Dispose();
        state = null;
        return state = new DeviceRecurrentState(device, Config, batch);
    }

    // A new shape frees the old one's buffers and descriptor first (the memory goes to the new one) and clears the fields before
    // building, so a failure leaves nothing freed behind a field: the next call builds again, and Dispose frees nothing twice.
    private TrainingBuffers BuffersFor(int batch, int seqLen)
    {
        if (buffers is { } current && current.Batch == batch && current.SeqLen == seqLen && rnn is not null) return current;
        rnn?.Dispose();
        rnn = null;
        buffers?.Dispose();
        buffers = null;
        var fresh = new TrainingBuffers(device, Config, batch, seqLen);
        try
        {
            // Tuning overwrites the gradient part, which the step zeroes before use anyway.
            rnn = RnnAutotuner.Choose(device, Config, Precision, dropout, fresh, layout, parameters.Pointer, Gradients, options.Log);
        }
        catch
        {
            fresh.Dispose();
            throw;
        }
        return buffers = fresh;
    }

    // Evaluation keeps up to four shapes (the trainer's lanes, the last short chunk, a notebook's own); each is prepared before it is kept.
    private TrainingBuffers EvalBuffersFor(int batch, int seqLen, CudnnRnnDescriptor cell)
    {
        if (evalBuffers.TryGetValue((batch, seqLen), out var known)) return known;
        if (evalBuffers.Count >= 4)
        {
            foreach (var old in evalBuffers.Values) old.Dispose();
            evalBuffers.Clear();
        }
        var b = new TrainingBuffers(device, Config, batch, seqLen);
        try { b.PrepareFor(cell, CuDnn.Inference); }
        catch { b.Dispose(); throw; }
        return evalBuffers[(batch, seqLen)] = b;
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

    private void ReleasePasses()
    {
        rnn?.Dispose();
        buffers?.Dispose();
        trainState?.Dispose();
        evalState?.Dispose();
        evalRnn?.Dispose();
        foreach (var b in evalBuffers.Values) b.Dispose();
        (rnn, buffers, trainState, evalState, evalRnn) = (null, null, null, null, null);
        evalBuffers.Clear();
    }
}
