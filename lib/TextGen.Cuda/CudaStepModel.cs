// Batch-1 generation on the GPU behind the library's IStepModel: the logits come from the device, and the library's
// LogitsSampler (greedy, temperature, top-k, top-p, repetition penalty) or BeamSearch chooses from them, as on every engine.
// Per call: one upload (the state and the tokens), one launch per layer and token, one for the logits, one read-back.
using System.Runtime.InteropServices;
using TextGen.Nn;

namespace TextGen.Cuda;

/// <summary>
/// An <see cref="IStepModel"/> over a device copy of the parameters taken at creation, in PyTorch's layout; its <see cref="StepState"/>
/// holds h (and c for an LSTM) layer after layer on the host, as TextGen's own, so beams clone it freely.
/// </summary>
internal sealed class CudaStepModel : IStepModel, IDisposable
{
    private const int CellThreads = 256;                    // 8 warps: 8 hidden units per block
    private readonly CudaDevice device;
    private readonly CharRnnConfig config;
    private readonly DeviceBuffer<float> weights;           // every parameter in PyTorch layout, one after another
    private readonly Dictionary<string, long> offsets = [];
    private readonly int layers, hidden, stateFloats;       // stateFloats = layers x hidden
    private DeviceBuffer<float> scratch;                    // [h half 0 | h half 1 | c | logits | token ids], each half (layers, hidden)
    private float[] host = [];
    private bool disposed;

    /// <summary>Copies the parameters from the trainer's flat buffer into PyTorch's layout, on the device.</summary>
    public CudaStepModel(CudaDevice device, FlatParameterLayout layout, DeviceBuffer<float> parameters)
    {
        this.device = device;
        config = layout.Config;
        layers = config.NumLayers;
        hidden = config.HiddenSize;
        stateFloats = layers * hidden;
        long total = 0;
        foreach (var (name, shape) in config.ParameterShapes())
        {
            offsets[name] = total;
            total += (shape.Aggregate(1L, (a, d) => a * d) + 63) / 64 * 64;
        }
        weights = device.Allocator.Allocate<float>(total);
        foreach (var r in layout.RnnRegions) weights.CopyFrom(device, parameters, r.SpaceOffset, offsets[r.Name] + r.SourceOffset, r.Length);
        int v = config.VocabularySize;
        weights.CopyFrom(device, parameters, layout.EmbeddingOffset, offsets["embedding.weight"], (long)v * config.EmbeddingDim);
        weights.CopyFrom(device, parameters, layout.DecoderWeightOffset, offsets["decoder.weight"], (long)v * hidden);
        weights.CopyFrom(device, parameters, layout.DecoderBiasOffset, offsets["decoder.bias"], v);
    }

    /// <inheritdoc />
    public int VocabularySize => config.VocabularySize;

    private bool HasCell => config.Arch == RecurrentArch.Lstm;
    private long LogitsAt => 3L * stateFloats;
    private long TokensAt => LogitsAt + VocabularySize;

    /// <summary>The parameters as this model holds them, read back under PyTorch's names (for checks).</summary>
    public Dictionary<string, float[]> ExportWeights()
    {
        using var scope = device.Use();
        return config.ParameterShapes().ToDictionary(p => p.Name, p =>
        {
            var values = new float[p.Shape.Aggregate(1, (a, d) => a * d)];
            weights.CopyTo(device, values, offsets[p.Name]);
            return values;
        });
    }

    /// <inheritdoc />
    public StepState CreateState() => new(new float[stateFloats], HasCell ? new float[stateFloats] : []);

    /// <inheritdoc />
    public void Feed(StepState state, ReadOnlySpan<int> tokens, Span<float> logits)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (tokens.IsEmpty) throw new ArgumentException("feed: no tokens to feed");
        if (logits.Length < VocabularySize) throw new ArgumentException($"feed: the logits buffer has {logits.Length} slots, the vocabulary {VocabularySize}");
        if (state.H.Length != stateFloats || state.C.Length != (HasCell ? stateFloats : 0))
            throw new ArgumentException($"feed: the state holds {state.H.Length} h and {state.C.Length} c values; this {config.Arch} model needs {stateFloats} and {(HasCell ? stateFloats : 0)} (use CreateState)");
        foreach (int token in tokens)
            if ((uint)token >= (uint)VocabularySize) throw new ArgumentOutOfRangeException(nameof(tokens), $"token id {token} is outside the vocabulary of size {VocabularySize}");
        ObjectDisposedException.ThrowIf(disposed, this);
        using var scope = device.Use();
        Reserve(tokens.Length);
        state.H.CopyTo(host, 0);
        state.C.CopyTo(host, 2 * stateFloats);
        tokens.CopyTo(MemoryMarshal.Cast<float, int>(host.AsSpan((int)TokensAt, tokens.Length)));
        scratch.CopyFrom(device, host.AsSpan(0, (int)TokensAt + tokens.Length));

        int current = 0, mode = CudnnRnnDescriptor.CellMode(config.Arch);
        var k = device.Kernels;
        for (int t = 0; t < tokens.Length; t++)
        {
            int next = 1 - current;
            IntPtr input = weights.At(offsets["embedding.weight"]);
            for (int layer = 0; layer < layers; layer++)
            {
                IntPtr hPrev = scratch.At((long)current * stateFloats + layer * hidden), hNext = scratch.At((long)next * stateFloats + layer * hidden);
                new KernelArgs().Add(mode)
                    .Add(weights.At(offsets[$"rnn.weight_ih_l{layer}"])).Add(weights.At(offsets[$"rnn.weight_hh_l{layer}"]))
                    .Add(weights.At(offsets[$"rnn.bias_ih_l{layer}"])).Add(weights.At(offsets[$"rnn.bias_hh_l{layer}"]))
                    .Add(input).Add(layer == 0 ? scratch.At(TokensAt) : IntPtr.Zero).Add(t).Add(layer == 0 ? config.EmbeddingDim : hidden)
                    .Add(hPrev).Add(hNext).Add(scratch.At(2L * stateFloats + layer * hidden)).Add(hidden)
                    .Launch(device, k.RnnCellStep, ((uint)((hidden + 7) / 8), 1), (CellThreads, 1));
                input = hNext;
            }
            current = next;
        }
        IntPtr top = scratch.At((long)current * stateFloats + (layers - 1) * hidden);
        new KernelArgs().Add(weights.At(offsets["decoder.weight"])).Add(weights.At(offsets["decoder.bias"])).Add(top).Add(hidden).Add(VocabularySize)
            .Add(scratch.At(LogitsAt)).Launch(device, k.DecodeLogits, (1, 1), (1024, 1));

        scratch.CopyTo(device, host.AsSpan(0, (int)TokensAt));
        host.AsSpan(current * stateFloats, stateFloats).CopyTo(state.H);
        host.AsSpan(2 * stateFloats, state.C.Length).CopyTo(state.C);
        host.AsSpan((int)LogitsAt, VocabularySize).CopyTo(logits);
        state.Position += tokens.Length;
    }

    private void Reserve(int tokens)
    {
        long need = TokensAt + tokens;
        if (scratch.Length >= need) return;
        device.Allocator.Free(scratch);
        scratch = default;
        long size = Math.Max(need, TokensAt + 256);   // room for a prompt of 256 tokens before the next growth
        scratch = device.Allocator.Allocate<float>(size);
        host = new float[size];
    }

    /// <summary>Returns the device memory to the allocator's cache; a second call does nothing.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        device.Allocator.Free(weights);
        device.Allocator.Free(scratch);
    }
}
