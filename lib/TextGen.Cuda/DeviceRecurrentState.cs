// The recurrent state a batch hands to the next on the GPU: cuDNN reads hx/cx and writes hy/cy, so two copies of
// (h, c) alternate, and the state crosses to the CPU only when the trainer asks for it (resume files, notebooks).
using TextGen.Nn;
using TextGen.Tensors;

namespace TextGen.Cuda;

/// <summary>Carried (h, c) of shape (layers, batch, hidden) on the device, double-buffered for cuDNN's in and out pointers.</summary>
internal sealed class DeviceRecurrentState : IDisposable
{
    private readonly CudaDevice device;
    private readonly CharRnnConfig config;
    private readonly DeviceBuffer<float> h, c;   // two halves each: [current | next], (layers, batch, hidden) per half
    private int current;
    private RecurrentState? downloaded;          // the last copy handed to the CPU, until the state moves on

    public DeviceRecurrentState(CudaDevice device, CharRnnConfig config, int batch)
    {
        this.device = device;
        this.config = config;
        Batch = batch;
        Floats = (long)config.NumLayers * batch * config.HiddenSize;
        h = device.Allocator.Allocate<float>(2 * Floats);
        try { c = device.Allocator.Allocate<float>(HasCell ? 2 * Floats : 1); }
        catch { device.Allocator.Free(h); throw; }
    }

    /// <summary>Sequences per batch this state was made for.</summary>
    public int Batch { get; }

    /// <summary>True when the current half holds a state; false means zeros (cuDNN is then given null hx/cx).</summary>
    public bool Valid { get; private set; }

    private long Floats { get; }
    private bool HasCell => config.HasCellState;

    /// <summary>hx for the next pass, or null for zeros.</summary>
    public IntPtr Hx => Valid ? h.At(current * Floats) : IntPtr.Zero;

    /// <summary>cx for the next pass, or null for zeros or a cell without one.</summary>
    public IntPtr Cx => Valid && HasCell ? c.At(current * Floats) : IntPtr.Zero;

    /// <summary>Where the pass writes hy.</summary>
    public IntPtr Hy => h.At((1 - current) * Floats);

    /// <summary>Where the pass writes cy (null for a cell without one).</summary>
    public IntPtr Cy => HasCell ? c.At((1 - current) * Floats) : IntPtr.Zero;

    /// <summary>Makes the state just written the current one, once the pass and its backward no longer read hx.</summary>
    public void Advance()
    {
        current = 1 - current;
        Valid = true;
        downloaded = null;
    }

    /// <summary>Back to zeros.</summary>
    public void Reset()
    {
        Valid = false;
        downloaded = null;
    }

    /// <summary>A CPU copy of the current state, or null when it is zeros.</summary>
    public RecurrentState? Download()
    {
        if (!Valid) return null;
        if (downloaded is not null) return downloaded;
        int[] shape = [config.NumLayers, Batch, config.HiddenSize];
        var hostH = new float[Floats];
        h.CopyTo(device, hostH, current * Floats);
        Tensor? cell = null;
        if (HasCell)
        {
            var hostC = new float[Floats];
            c.CopyTo(device, hostC, current * Floats);
            cell = new Tensor(hostC, shape);
        }
        return downloaded = new RecurrentState(new Tensor(hostH, shape), cell);
    }

    /// <summary>Makes <paramref name="state"/> (CPU tensors of shape (layers, batch, hidden)) the current state.</summary>
    public void Upload(RecurrentState state)
    {
        Check(state.H, "h");
        if (HasCell != state.C is not null)
            throw new ArgumentException(HasCell ? "an LSTM's carried state needs its cell state c" : $"a {config.Arch} has no cell state c, but one was given");
        h.CopyFrom(device, state.H.Data.AsSpan(0, (int)Floats), current * Floats);
        if (state.C is { } cell)
        {
            Check(cell, "c");
            c.CopyFrom(device, cell.Data.AsSpan(0, (int)Floats), current * Floats);
        }
        Valid = true;
        downloaded = null;
    }

    private void Check(Tensor t, string name)
    {
        int[] expected = [config.NumLayers, Batch, config.HiddenSize];
        if (!t.ShapeArray.SequenceEqual(expected))
            throw new ArgumentException($"carried state {name} has shape [{string.Join(", ", t.ShapeArray)}] but this model and batch need [{string.Join(", ", expected)}]");
    }

    public void Dispose()
    {
        device.Allocator.Free(h);
        device.Allocator.Free(c);
    }
}
