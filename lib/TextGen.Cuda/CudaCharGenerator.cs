// Batch-1 generation on the GPU: the recurrent state stays on the device between calls, each step is one launch per
// layer plus one that decodes and samples, and the sampled token feeds the next step without a host round trip.
using System.Diagnostics;
using TextGen.Nn;

namespace TextGen.Cuda;

/// <summary>The tokens a <see cref="CudaCharGenerator.Generate"/> call produced and how long each took.</summary>
/// <param name="Tokens">The generated ids (the prompt not included).</param>
/// <param name="MsPerToken">Wall time per generated token in milliseconds, measured around the whole loop.</param>
public sealed record GenerationResult(int[] Tokens, double MsPerToken);

/// <summary>Stateful one-token-at-a-time sampling from a character model, like calling a PyTorch model with <c>(x, state)</c> in a loop.</summary>
public sealed class CudaCharGenerator : IDisposable
{
    private const int CellThreads = 256;           // 8 warps: 8 hidden units per block
    private readonly CudaDevice device;
    private readonly DeviceBuffer<float> weights;  // every parameter in PyTorch layout, one after another
    private readonly Dictionary<string, long> offsets = new();
    private readonly DeviceBuffer<float> state;    // per layer: h (two halves, ping-pong) and c
    private DeviceBuffer<int> sequence;
    private int current;                           // which half of each layer's h holds the latest state
    private bool disposed;

    /// <summary>Uploads <paramref name="parameters"/> (PyTorch names and layouts) and starts from a zero state.</summary>
    public CudaCharGenerator(CharRnnConfig config, IReadOnlyDictionary<string, float[]> parameters)
    {
        GpuModelCheck.EnsureSupported(config);
        config.ValidateParameters(parameters);
        Config = config;
        device = CudaDevice.Default;
        long total = 0;
        foreach (var (name, _) in config.ParameterShapes())
        {
            offsets[name] = total;
            total += (parameters[name].Length + 63) / 64 * 64;
        }
        weights = device.Allocator.Allocate<float>(total);
        foreach (var (name, _) in config.ParameterShapes()) weights.CopyFrom(parameters[name], device.Stream, offsets[name]);
        state = device.Allocator.Allocate<float>(3L * config.NumLayers * config.HiddenSize);
        Reset();
    }

    /// <summary>The model's shape.</summary>
    public CharRnnConfig Config { get; }

    /// <summary>Sets every layer's hidden (and cell) state to zero, as at the start of a sequence.</summary>
    public void Reset()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        state.Fill(0, device.Stream);
        current = 0;
    }

    /// <summary>Feeds <paramref name="prompt"/> (at least one id) through the model, then samples <paramref name="count"/> tokens at <paramref name="temperature"/> (0: greedy).</summary>
    /// <remarks>The state carries over: afterwards it has consumed every token but the last one returned (the last prompt
    /// token when <paramref name="count"/> is 0), so passing that token as the next prompt continues the text.</remarks>
    public GenerationResult Generate(IReadOnlyList<int> prompt, int count, float temperature, ulong seed)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(prompt);
        if (prompt.Count == 0) throw new ArgumentException("the prompt needs at least one token id to start from", nameof(prompt));
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), "count must not be negative");
        if (!(temperature >= 0)) throw new ArgumentOutOfRangeException(nameof(temperature), "temperature must be >= 0 (0 picks the most likely token)");
        foreach (var id in prompt)
            if ((uint)id >= (uint)Config.VocabularySize) throw new ArgumentException($"prompt id {id} is outside the vocabulary [0, {Config.VocabularySize})", nameof(prompt));
        device.MakeCurrent();
        if (sequence.Length < prompt.Count + count)
        {
            device.Allocator.Free(sequence);
            sequence = device.Allocator.Allocate<int>(prompt.Count + count);
        }
        sequence.CopyFrom(prompt.ToArray(), device.Stream);
        // Step s reads seq[s]; its prediction is needed from the last prompt token on, and written to seq[s + 1].
        for (int s = 0; s < prompt.Count - 1; s++) Step(s, sample: false, temperature, seed);
        device.Synchronize();
        var clock = Stopwatch.StartNew();
        for (int s = prompt.Count - 1; s < prompt.Count + count - 1; s++) Step(s, sample: true, temperature, seed);
        device.Synchronize();
        double ms = clock.Elapsed.TotalMilliseconds;
        var all = new int[prompt.Count + count];
        sequence.CopyTo(all, device.Stream);
        return new GenerationResult(all[prompt.Count..], count > 0 ? ms / count : 0);
    }

    private void Step(int step, bool sample, float temperature, ulong seed)
    {
        var k = device.Kernels;
        IntPtr stream = device.Stream;
        int hidden = Config.HiddenSize, mode = CudnnRnnDescriptor.CellMode(Config.Arch);
        int next = 1 - current;
        IntPtr input = weights.At(offsets["embedding.weight"]);
        for (int layer = 0; layer < Config.NumLayers; layer++)
        {
            long baseOffset = 3L * layer * hidden;
            IntPtr hPrev = state.At(baseOffset + current * hidden), hNext = state.At(baseOffset + next * hidden), c = state.At(baseOffset + 2L * hidden);
            new KernelArgs().Add(mode)
                .Add(weights.At(offsets[$"rnn.weight_ih_l{layer}"])).Add(weights.At(offsets[$"rnn.weight_hh_l{layer}"]))
                .Add(weights.At(offsets[$"rnn.bias_ih_l{layer}"])).Add(weights.At(offsets[$"rnn.bias_hh_l{layer}"]))
                .Add(input).Add(layer == 0 ? sequence.Pointer : IntPtr.Zero).Add(step).Add(layer == 0 ? Config.EmbeddingDim : hidden)
                .Add(hPrev).Add(hNext).Add(c).Add(hidden)
                .Launch(k.RnnCellStep, ((uint)((hidden + 7) / 8), 1), (CellThreads, 1), 0, stream);
            input = hNext;
        }
        current = next;
        if (!sample) return;
        new KernelArgs().Add(weights.At(offsets["decoder.weight"])).Add(weights.At(offsets["decoder.bias"])).Add(input)
            .Add(hidden).Add(Config.VocabularySize).Add(temperature).Add(seed).Add(step).Add(sequence.Pointer).Add(step + 1)
            .Launch(k.DecodeSample, (1, 1), (1024, 1), 0, stream);
    }

    /// <summary>Returns the device memory to the allocator's cache.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        device.Allocator.Free(weights);
        device.Allocator.Free(state);
        device.Allocator.Free(sequence);
    }
}
