// One recurrent layer over a whole sequence as a single autograd op with hand-written
// backpropagation through time: one large input-projection product for all steps, then per step
// one recurrent product and one fused gate pass (CellKernel). Backward mirrors it, and the weight
// gradients are again a few large products over all steps.
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using TextGen.Tensors;

namespace TextGen.Nn.Recurrent;

/// <summary>Token ids (batch, steps) row-major that pick rows of a projected table as a layer's input projection.</summary>
internal sealed record TokenRows(int[] Ids, int Batch, int Steps);

/// <summary>The fused forward and backward pass of one recurrent layer.</summary>
internal static class RecurrentLayerOp
{
    /// <summary>
    /// Runs one layer. <paramref name="x"/> is (B, T, I) when <paramref name="batchFirst"/>, else (T, B, I);
    /// <paramref name="h0"/> and <paramref name="c0"/> are (B, H). Returns the outputs (same layout as x, last dim H)
    /// and the final h and c (B, H). With <paramref name="tokens"/> set, x is a table (V, G*H) of projected inputs
    /// x W_ih^T and row r of the input projection is table[tokens[r]] (batch-first); <paramref name="wih"/> is then unused.
    /// </summary>
    public static (Tensor Output, Tensor HT, Tensor? CT) Forward(CellKernel kernel, Tensor x, Tensor h0, Tensor? c0,
        Tensor wih, Tensor whh, Tensor bih, Tensor bhh, bool batchFirst, TokenRows? tokens = null)
    {
        int batch = tokens?.Batch ?? (batchFirst ? x.Size(0) : x.Size(1));
        int steps = tokens?.Steps ?? (batchFirst ? x.Size(1) : x.Size(0));
        int inputSize = x.Size(-1);
        int hidden = whh.Size(1), gh = kernel.Gates * hidden, bh = batch * hidden;
        int rows = batch * steps;
        var s = new LayerBuffers(kernel, batch, steps, hidden, rows);

        // Input projection for every step at once: (B*T, I) x (I, G*H) + b_ih.
        using (StepProfiler.Time("rnn forward: input projection"))
        {
            if (tokens is not null)
                for (int r = 0; r < rows; r++) x.Data.AsSpan(tokens.Ids[r] * gh, gh).CopyTo(s.Xg.AsSpan(r * gh, gh));
            else Blas.Sgemm(false, true, rows, gh, inputSize, x.Data, wih.Data, s.Xg);
            for (int r = 0; r < rows; r++) TensorPrimitives.Add(s.Xg.AsSpan(r * gh, gh), bih.Data, s.Xg.AsSpan(r * gh, gh));
        }

        h0.Data.AsSpan().CopyTo(s.H.AsSpan(0, bh));
        if (kernel.HasCell) c0!.Data.AsSpan().CopyTo(s.C.AsSpan(0, bh));
        var xgStep = new float[batch * gh];
        var hgStep = new float[batch * gh];
        for (int t = 0; t < steps; t++)
        {
            using (StepProfiler.Time("rnn forward: recurrent products"))
            {
                GatherRows(s.Xg, xgStep, t, batch, steps, gh, batchFirst);
                for (int b = 0; b < batch; b++) bhh.Data.AsSpan().CopyTo(hgStep.AsSpan(b * gh, gh));
                Blas.Sgemm(false, true, batch, gh, hidden, s.H.AsSpan(t * bh, bh), whh.Data, hgStep, accumulate: true);
            }
            using (StepProfiler.Time("rnn forward: gates"))
                GateRunner.Forward(kernel, batch, hidden, t, xgStep, hgStep, s.H, s.C, s.Saved);
        }

        // Packed result: outputs, then h_T, then c_T; Unpack gives each its own tensor and gradient path.
        int outN = rows * hidden;
        var packed = new float[outN + bh + (kernel.HasCell ? bh : 0)];
        for (int t = 0; t < steps; t++) ScatterRows(s.H.AsSpan((t + 1) * bh, bh), packed, t, batch, steps, hidden, batchFirst);
        s.H.AsSpan(steps * bh, bh).CopyTo(packed.AsSpan(outN));
        if (kernel.HasCell) s.C.AsSpan(steps * bh, bh).CopyTo(packed.AsSpan(outN + bh));
        var packedT = new Tensor(packed, packed.Length);

        var inputs = new[] { x, h0, tokens is null ? wih : null, whh, bih, bhh, c0 }.OfType<Tensor>().ToArray();
        if (Tensor.NeedsGrad(inputs))
            packedT.Record(kernel.GetType().Name.Replace("Kernel", "Layer"), inputs, g =>
            {
                if (s.Released)
                    throw new InvalidOperationException("backward: this recurrent layer's saved activations were freed by an earlier backward pass; run the forward pass again");
                Backward(kernel, s, g, x, h0, c0, tokens is null ? wih : null, whh, bih, bhh, batchFirst, tokens);
                s.Release();
            });
        else s.Release();

        int[] outShape = batchFirst ? [batch, steps, hidden] : [steps, batch, hidden];
        var output = Ops.Unpack(packedT, 0, outShape);
        var hT = Ops.Unpack(packedT, outN, [batch, hidden]);
        var cT = kernel.HasCell ? Ops.Unpack(packedT, outN + bh, [batch, hidden]) : null;
        return (output, hT, cT);
    }

    private static void Backward(CellKernel kernel, LayerBuffers s, float[] g, Tensor x, Tensor h0, Tensor? c0,
        Tensor? wih, Tensor whh, Tensor bih, Tensor bhh, bool batchFirst, TokenRows? tokens)
    {
        int batch = s.Batch, steps = s.Steps, hidden = s.Hidden, rows = s.Rows;
        int gh = kernel.Gates * hidden, bh = batch * hidden, inputSize = x.Size(-1);
        int outN = rows * hidden;
        var dh = g.AsSpan(outN, bh).ToArray();
        var dc = kernel.HasCell ? g.AsSpan(outN + bh, bh).ToArray() : new float[bh];
        var dy = new float[bh];
        var dxgAll = BufferPool.Rent(rows * gh);          // in x's row order, for dW_ih and dx
        var dhgAll = BufferPool.Rent(steps * batch * gh); // time-major, paired with s.H for dW_hh
        var dxgStep = new float[batch * gh];
        for (int t = steps - 1; t >= 0; t--)
        {
            GatherRows(g, dy, t, batch, steps, hidden, batchFirst);
            TensorPrimitives.Add(dh, dy, dh);
            var dhgStep = dhgAll.AsSpan(t * batch * gh, batch * gh);
            using (StepProfiler.Time("rnn backward: gates"))
            {
                GateRunner.Backward(kernel, batch, hidden, t, s.Saved, s.H, s.C, dh, dc, dxgStep, dhgAll, t * batch * gh);
                ScatterRows(dxgStep, dxgAll, t, batch, steps, gh, batchFirst);
            }
            // dL/dh_{t-1} += dhg W_hh
            using (StepProfiler.Time("rnn backward: recurrent products"))
                Blas.Sgemm(false, false, batch, hidden, gh, dhgStep, whh.Data, dh, accumulate: true);
        }
        using var _ = StepProfiler.Time("rnn backward: weight gradients");
        if (h0.RequiresGrad) h0.AccumulateGrad(dh);
        if (c0 is not null && c0.RequiresGrad) c0.AccumulateGrad(dc);
        if (whh.RequiresGrad) Blas.Sgemm(true, false, gh, hidden, steps * batch, dhgAll, s.H, whh.GradBuffer(), accumulate: true);
        if (bhh.RequiresGrad) SumRows(dhgAll, steps * batch, gh, bhh.GradBuffer());
        if (wih is { RequiresGrad: true } && tokens is null) Blas.Sgemm(true, false, gh, inputSize, rows, dxgAll, x.Data, wih.GradBuffer(), accumulate: true);
        if (bih.RequiresGrad) SumRows(dxgAll, rows, gh, bih.GradBuffer());
        if (x.RequiresGrad)
        {
            if (tokens is not null)
            {
                var table = x.GradBuffer();
                for (int r = 0; r < rows; r++)
                {
                    var row = table.AsSpan(tokens.Ids[r] * gh, gh);
                    TensorPrimitives.Add(row, dxgAll.AsSpan(r * gh, gh), row);
                }
            }
            else Blas.Sgemm(false, false, rows, inputSize, gh, dxgAll, wih!.Data, x.GradBuffer(), accumulate: true);
        }
        BufferPool.Return(dxgAll, dhgAll);
    }

    private static void SumRows(ReadOnlySpan<float> m, int rows, int cols, Span<float> destination)
    {
        for (int r = 0; r < rows; r++) TensorPrimitives.Add(destination, m.Slice(r * cols, cols), destination);
    }

    /// <summary>Copies the rows of time step t (one per batch entry) out of a sequence-shaped buffer.</summary>
    internal static void GatherRows(ReadOnlySpan<float> seq, Span<float> step, int t, int batch, int steps, int width, bool batchFirst)
    {
        if (!batchFirst) { seq.Slice(t * batch * width, batch * width).CopyTo(step); return; }
        for (int b = 0; b < batch; b++) seq.Slice((b * steps + t) * width, width).CopyTo(step.Slice(b * width, width));
    }

    /// <summary>Writes the rows of time step t into a sequence-shaped buffer.</summary>
    internal static void ScatterRows(ReadOnlySpan<float> step, Span<float> seq, int t, int batch, int steps, int width, bool batchFirst)
    {
        if (!batchFirst) { step.CopyTo(seq.Slice(t * batch * width, batch * width)); return; }
        for (int b = 0; b < batch; b++) step.Slice(b * width, width).CopyTo(seq.Slice((b * steps + t) * width, width));
    }

    /// <summary>What the forward pass keeps for backward: hidden states h_0..h_T, cells, gate activations.</summary>
    private sealed class LayerBuffers(CellKernel kernel, int batch, int steps, int hidden, int rows)
    {
        public int Batch { get; } = batch;
        public int Steps { get; } = steps;
        public int Hidden { get; } = hidden;
        public int Rows { get; } = rows;
        public float[] Xg { get; } = BufferPool.Rent(rows * kernel.Gates * hidden);
        public float[] H { get; } = BufferPool.Rent((steps + 1) * batch * hidden);      // time-major, h_0 first
        public float[] C { get; } = kernel.HasCell ? BufferPool.Rent((steps + 1) * batch * hidden) : [];
        public float[] Saved { get; } = BufferPool.Rent(steps * batch * kernel.SavedWidth(hidden));

        /// <summary>Gives the buffers back once backward no longer needs them.</summary>
        public void Release()
        {
            Released = true;
            BufferPool.Return(Xg, H, C, Saved);
        }

        public bool Released { get; private set; }
    }
}
