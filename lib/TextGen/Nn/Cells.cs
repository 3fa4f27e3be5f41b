// Recurrent cells written out of elementary ops, for the lesson that builds an RNN by hand.
// They use the fused layers' parameter names and layout, and must agree with them to 1e-5.
using TextGen.Tensors;

namespace TextGen.Nn;

/// <summary>Base of the hand-built cells: one step from (x, h[, c]) to the next state, with autograd through every op.</summary>
public abstract class RecurrentCell : Module
{
    private protected RecurrentCell(int gates, int inputSize, int hiddenSize, Generator? generator)
    {
        if (inputSize < 1) throw new ArgumentOutOfRangeException(nameof(inputSize), $"cell: inputSize must be at least 1, got {inputSize}");
        if (hiddenSize < 1) throw new ArgumentOutOfRangeException(nameof(hiddenSize), $"cell: hiddenSize must be at least 1, got {hiddenSize}");
        generator ??= new Generator(0);
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        WeightIh = RegisterParameter("weight_ih", Init.UniformFanIn(generator, hiddenSize, gates * hiddenSize, inputSize));
        WeightHh = RegisterParameter("weight_hh", Init.UniformFanIn(generator, hiddenSize, gates * hiddenSize, hiddenSize));
        BiasIh = RegisterParameter("bias_ih", Init.UniformFanIn(generator, hiddenSize, gates * hiddenSize));
        BiasHh = RegisterParameter("bias_hh", Init.UniformFanIn(generator, hiddenSize, gates * hiddenSize));
    }

    /// <summary>Input features.</summary>
    public int InputSize { get; }
    /// <summary>Hidden features.</summary>
    public int HiddenSize { get; }
    /// <summary>(gates*hidden, input).</summary>
    public Tensor WeightIh { get; }
    /// <summary>(gates*hidden, hidden).</summary>
    public Tensor WeightHh { get; }
    /// <summary>(gates*hidden).</summary>
    public Tensor BiasIh { get; }
    /// <summary>(gates*hidden).</summary>
    public Tensor BiasHh { get; }

    /// <summary>One step: x (batch, input), h and c (batch, hidden); c is ignored by cells without memory.</summary>
    public abstract (Tensor H, Tensor? C) Step(Tensor x, Tensor h, Tensor? c);

    /// <summary>x W_ih^T + b_ih: the input's contribution to every gate.</summary>
    protected Tensor InputGates(Tensor x) => Ops.Add(Ops.MatMul(x, WeightIh, transposeB: true), BiasIh);

    /// <summary>h W_hh^T + b_hh: the previous state's contribution to every gate.</summary>
    protected Tensor HiddenGates(Tensor h) => Ops.Add(Ops.MatMul(h, WeightHh, transposeB: true), BiasHh);

    /// <summary>Gate block k of a (batch, gates*hidden) tensor.</summary>
    protected Tensor Gate(Tensor gates, int k) => Ops.Slice(gates, 1, k * HiddenSize, HiddenSize);

    /// <summary>
    /// Unrolls the cell over x (batch, time, input) from h0 (and c0): the loop a fused layer hides.
    /// Returns outputs (batch, time, hidden) and the final state.
    /// </summary>
    public (Tensor Output, Tensor H, Tensor? C) Unroll(Tensor x, Tensor h0, Tensor? c0 = null)
    {
        var h = h0; var c = c0;
        var outputs = new List<Tensor>();
        for (int t = 0; t < x.Size(1); t++)
        {
            (h, c) = Step(Ops.Select(x, 1, t), h, c);
            outputs.Add(h);
        }
        return (Ops.Stack(outputs, 1), h, c);
    }
}

/// <summary>h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (or relu).</summary>
public sealed class RnnCell(int inputSize, int hiddenSize, string nonlinearity = "tanh", Generator? generator = null)
    : RecurrentCell(1, inputSize, hiddenSize, generator)
{
    /// <inheritdoc />
    public override (Tensor H, Tensor? C) Step(Tensor x, Tensor h, Tensor? c)
    {
        var pre = Ops.Add(InputGates(x), HiddenGates(h));
        return (nonlinearity == "relu" ? Ops.Relu(pre) : Ops.Tanh(pre), null);
    }
}

/// <summary>The LSTM step: i, f, o sigmoids and g tanh; c' = f c + i g; h' = o tanh(c').</summary>
public sealed class LstmCell(int inputSize, int hiddenSize, Generator? generator = null)
    : RecurrentCell(4, inputSize, hiddenSize, generator)
{
    /// <inheritdoc />
    public override (Tensor H, Tensor? C) Step(Tensor x, Tensor h, Tensor? c)
    {
        ArgumentNullException.ThrowIfNull(c, "LstmCell needs a cell state c");
        var gates = Ops.Add(InputGates(x), HiddenGates(h));
        var i = Ops.Sigmoid(Gate(gates, 0));
        var f = Ops.Sigmoid(Gate(gates, 1));
        var g = Ops.Tanh(Gate(gates, 2));
        var o = Ops.Sigmoid(Gate(gates, 3));
        var cNext = Ops.Add(Ops.Mul(f, c), Ops.Mul(i, g));
        return (Ops.Mul(o, Ops.Tanh(cNext)), cNext);
    }
}

/// <summary>The GRU step: r, z sigmoids; n = tanh(x_n + r (h W_hn^T + b_hn)); h' = (1 - z) n + z h.</summary>
public sealed class GruCell(int inputSize, int hiddenSize, Generator? generator = null)
    : RecurrentCell(3, inputSize, hiddenSize, generator)
{
    /// <inheritdoc />
    public override (Tensor H, Tensor? C) Step(Tensor x, Tensor h, Tensor? c)
    {
        var xg = InputGates(x);
        var hg = HiddenGates(h);
        var r = Ops.Sigmoid(Ops.Add(Gate(xg, 0), Gate(hg, 0)));
        var z = Ops.Sigmoid(Ops.Add(Gate(xg, 1), Gate(hg, 1)));
        var n = Ops.Tanh(Ops.Add(Gate(xg, 2), Ops.Mul(r, Gate(hg, 2))));
        return (Ops.Add(Ops.Mul(Ops.OneMinus(z), n), Ops.Mul(z, h)), null);
    }
}
