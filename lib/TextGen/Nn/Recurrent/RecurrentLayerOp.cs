// One recurrent layer over a whole sequence as a single autograd op with hand-written
// backpropagation through time. The input projection of every step is one large product (or, for
// token input, a row of a projected table). The time loop is split by batch rows: rows never
// interact inside a layer, so each thread runs its rows through all steps without waiting for the
// others, with the recurrent weight packed once for the whole sequence and the gate math fused into
// one pass per row. Backward mirrors it, and the weight gradients are again a few large products.
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using TextGen.Tensors;
using TextGen.Tensors.Kernels;

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
        var s = new LayerBuffers(kernel, batch, steps, hidden, rows, batchFirst, tokens is null ? rows : x.Size(0));

        // b_ih and the part of b_hh that adds straight to the pre-activations go into the input side once.
        var xBias = bih.Data.AsSpan().ToArray();
        int fold = kernel.FoldableHiddenBias(hidden);
        TensorPrimitives.Add(xBias.AsSpan(0, fold), bhh.Data.AsSpan(0, fold), xBias.AsSpan(0, fold));
        using (StepProfiler.Time("rnn forward: input projection"))
        {
            if (tokens is not null)
            {
                // A biased copy of the (V, G*H) table; every step then reads its rows in place.
                int vocab = x.Size(0);
                for (int v = 0; v < vocab; v++) TensorPrimitives.Add(x.Data.AsSpan(v * gh, gh), xBias, s.Xg.AsSpan(v * gh, gh));
            }
            else
            {
                Blas.Sgemm(false, true, rows, gh, inputSize, x.Data, wih.Data, s.Xg);
                for (int r = 0; r < rows; r++) TensorPrimitives.Add(s.Xg.AsSpan(r * gh, gh), xBias, s.Xg.AsSpan(r * gh, gh));
            }
        }

        var outData = new float[rows * hidden];
        h0.Data.AsSpan().CopyTo(s.H.AsSpan(0, bh));
        if (kernel.HasCell) c0!.Data.AsSpan().CopyTo(s.C.AsSpan(0, bh));
        using (StepProfiler.Time("rnn forward: recurrent loop"))
        {
            // op(B) = W_hh^T, (H x G*H), packed once for every step of every row block.
            var whhT = new PackedB(true, whh.Data, hidden, gh);
            var hBias = fold < gh ? bhh.Data : [];
            ForEachRowBlock(batch, (b0, n) => ForwardRows(kernel, s, tokens, whhT, hBias, outData, b0, n));
        }

        int[] outShape = batchFirst ? [batch, steps, hidden] : [steps, batch, hidden];
        var output = Tensor.Wrap(outData, outShape);
        var hT = Tensor.Wrap(s.H.AsSpan(steps * bh, bh).ToArray(), [batch, hidden]);
        var cT = kernel.HasCell ? Tensor.Wrap(s.C.AsSpan(steps * bh, bh).ToArray(), [batch, hidden]) : null;

        var inputs = new[] { x, h0, tokens is null ? wih : null, whh, bih, bhh, c0 }.OfType<Tensor>().ToArray();
        if (Tensor.NeedsGrad(inputs))
        {
            // The layer's node hangs on the outputs; h_T and c_T hang on the outputs too and only hand their
            // gradients over, so the layer's backward runs once, after both, with all three gradients.
            var dhT = new float[bh];
            var dcT = kernel.HasCell ? new float[bh] : [];
            output.Record(kernel.GetType().Name.Replace("Kernel", "Layer"), inputs, g =>
            {
                if (s.Released)
                    throw new InvalidOperationException("backward: this recurrent layer's saved activations were freed by an earlier backward pass; run the forward pass again");
                Backward(kernel, s, g, dhT, dcT, x, h0, c0, tokens is null ? wih : null, whh, bih, bhh, tokens);
                s.Release();
            });
            hT.Record("RecurrentState", [output], g => { TensorPrimitives.Add(dhT, g, dhT); output.GradBuffer(); });
            cT?.Record("RecurrentState", [output], g => { TensorPrimitives.Add(dcT, g, dcT); output.GradBuffer(); });
        }
        else s.Release();
        return (output, hT, cT);
    }

    /// <summary>
    /// Rows [b0, b0+n) through every step: one recurrent product for the block, then the cell per row, whose new h
    /// is also copied to the layer's output (in x's layout) while it is in cache.
    /// </summary>
    private static unsafe void ForwardRows(CellKernel kernel, LayerBuffers s, TokenRows? tokens, PackedB whhT, float[] hBias, float[] output, int b0, int n)
    {
        int batch = s.Batch, steps = s.Steps, hidden = s.Hidden, gh = kernel.Gates * hidden, sw = kernel.SavedWidth(hidden);
        int bh = batch * hidden;
        var hg = BufferPool.Rent(n * gh);
        try
        {
            fixed (float* hp = s.H, hgp = hg)
                for (int t = 0; t < steps; t++)
                {
                    GemmDriver.RunPacked(hp + (long)(t * batch + b0) * hidden, hidden, n, whhT, hgp, gh, accumulate: false);
                    for (int b = b0; b < b0 + n; b++)
                    {
                        int row = s.InputRow(b, t);
                        var xg = s.Xg.AsSpan((tokens is null ? row : tokens.Ids[row]) * gh, gh);
                        int at = t * bh + b * hidden, next = at + bh;
                        kernel.ForwardRow(hidden, xg, hg.AsSpan((b - b0) * gh, gh), hBias,
                            s.H.AsSpan(at, hidden), Part(s.C, at, hidden), s.H.AsSpan(next, hidden), Part(s.C, next, hidden),
                            Part(s.Saved, (t * batch + b) * sw, sw));
                        s.H.AsSpan(next, hidden).CopyTo(output.AsSpan(row * hidden, hidden));
                    }
                }
        }
        finally { BufferPool.Return(hg); }
    }

    /// <summary>
    /// Backpropagation through time: <paramref name="g"/> is the gradient of the outputs, <paramref name="dh"/> and
    /// <paramref name="dc"/> those of h_T and c_T on entry (and of h_0 and c_0 on exit).
    /// </summary>
    private static void Backward(CellKernel kernel, LayerBuffers s, float[] g, float[] dh, float[] dc, Tensor x, Tensor h0, Tensor? c0,
        Tensor? wih, Tensor whh, Tensor bih, Tensor bhh, TokenRows? tokens)
    {
        int batch = s.Batch, steps = s.Steps, hidden = s.Hidden, rows = s.Rows;
        int gh = kernel.Gates * hidden, inputSize = x.Size(-1);
        // Gradients of the pre-activations, time-major like s.H so that dW_hh is one product.
        var dxg = BufferPool.Rent(rows * gh);
        var dhg = kernel.SeparateHiddenGradient ? BufferPool.Rent(rows * gh) : dxg;
        using (StepProfiler.Time("rnn backward: recurrent loop"))
        {
            // op(B) = W_hh, (G*H x H): dL/dh_{t-1} += dhg W_hh.
            var whhN = new PackedB(false, whh.Data, gh, hidden);
            ForEachRowBlock(batch, (b0, n) => BackwardRows(kernel, s, g, whhN, dh, dc, dxg, dhg, b0, n));
        }
        using var _ = StepProfiler.Time("rnn backward: weight gradients");
        if (h0.RequiresGrad) h0.AccumulateGrad(dh);
        if (c0 is not null && c0.RequiresGrad) c0.AccumulateGrad(dc);
        if (whh.RequiresGrad) Blas.Sgemm(true, false, gh, hidden, rows, dhg, s.H, whh.GradBuffer(), accumulate: true);
        bool needBiasSum = bih.RequiresGrad || (bhh.RequiresGrad && dhg == dxg);
        // With token input, the rows of dxg are summed per token for the table; the bias gradient is then the sum of
        // those V sums, which saves a second pass over the (rows x G*H) buffer.
        float[]? perToken = tokens is not null && (x.RequiresGrad || needBiasSum) ? SumRowsPerToken(dxg, s, tokens, x.Size(0), gh) : null;
        var biasSum = needBiasSum ? (perToken is not null ? SumRows(perToken, gh) : SumRows(dxg, gh)) : null;
        if (bih.RequiresGrad) TensorPrimitives.Add(bih.GradBuffer(), biasSum!, bih.GradBuffer());
        if (bhh.RequiresGrad) TensorPrimitives.Add(bhh.GradBuffer(), dhg == dxg ? biasSum! : SumRows(dhg, gh), bhh.GradBuffer());
        if (tokens is not null)
        {
            if (perToken is not null)
            {
                if (x.RequiresGrad) TensorPrimitives.Add(x.GradBuffer(), perToken, x.GradBuffer());
                BufferPool.Return(perToken);
            }
        }
        else if (wih!.RequiresGrad || x.RequiresGrad)
        {
            // dxg is time-major; a batch-first x is brought into the same row order for the two products.
            float[] xTime = x.Data;
            if (s.BatchFirst)
            {
                xTime = BufferPool.Rent(rows * inputSize);
                for (int t = 0; t < steps; t++) GatherRows(x.Data, xTime.AsSpan(t * batch * inputSize, batch * inputSize), t, batch, steps, inputSize, true);
            }
            if (wih.RequiresGrad) Blas.Sgemm(true, false, gh, inputSize, rows, dxg, xTime, wih.GradBuffer(), accumulate: true);
            if (x.RequiresGrad)
            {
                if (!s.BatchFirst) Blas.Sgemm(false, false, rows, inputSize, gh, dxg, wih.Data, x.GradBuffer(), accumulate: true);
                else
                {
                    Blas.Sgemm(false, false, rows, inputSize, gh, dxg, wih.Data, xTime);
                    var dx = x.GradBuffer();
                    for (int b = 0; b < batch; b++)
                        for (int t = 0; t < steps; t++)
                        {
                            var row = dx.AsSpan((b * steps + t) * inputSize, inputSize);
                            TensorPrimitives.Add(row, xTime.AsSpan((t * batch + b) * inputSize, inputSize), row);
                        }
                }
            }
            if (s.BatchFirst) BufferPool.Return(xTime);
        }
        BufferPool.Return(dxg);
        if (dhg != dxg) BufferPool.Return(dhg);
    }

    /// <summary>Rows [b0, b0+n) back through every step: the cell per row, then one recurrent product for the block.</summary>
    private static unsafe void BackwardRows(CellKernel kernel, LayerBuffers s, float[] g, PackedB whhN, float[] dh, float[] dc,
        float[] dxg, float[] dhg, int b0, int n)
    {
        int batch = s.Batch, steps = s.Steps, hidden = s.Hidden, gh = kernel.Gates * hidden, sw = kernel.SavedWidth(hidden);
        int bh = batch * hidden;
        fixed (float* dhgp = dhg, dhp = dh)
            for (int t = steps - 1; t >= 0; t--)
            {
                for (int b = b0; b < b0 + n; b++)
                {
                    var dhRow = dh.AsSpan(b * hidden, hidden);
                    TensorPrimitives.Add(dhRow, g.AsSpan(s.InputRow(b, t) * hidden, hidden), dhRow);
                    int at = t * bh + b * hidden, next = at + bh, gAt = (t * batch + b) * gh;
                    kernel.BackwardRow(hidden, Part(s.Saved, (t * batch + b) * sw, sw), s.H.AsSpan(at, hidden),
                        Part(s.C, at, hidden), Part(s.C, next, hidden), s.H.AsSpan(next, hidden),
                        dhRow, Part(dc, b * hidden, hidden), dxg.AsSpan(gAt, gh), dhg == dxg ? [] : dhg.AsSpan(gAt, gh));
                }
                GemmDriver.RunPacked(dhgp + (long)(t * batch + b0) * gh, gh, n, whhN, dhp + (long)b0 * hidden, hidden, accumulate: true);
            }
    }

    /// <summary>
    /// Rows per block of the time loop: whole micro-panels of the product, two blocks per thread to even out the load,
    /// but at least two micro-panels, because every block streams all of W_hh from L3 at every step (M-cpu's 4 MiB for
    /// batch 32: 8-row blocks ran the step 5% slower than 16-row ones on Zen 5).
    /// </summary>
    private static void ForEachRowBlock(int batch, Action<int, int> body)
    {
        int threads = Math.Max(1, Blas.MaxThreads);
        int perBlock = Math.Max(2 * GemmDriver.MR, GemmDriver.RoundUp((batch + 2 * threads - 1) / (2 * threads), GemmDriver.MR));
        int blocks = (batch + perBlock - 1) / perBlock;
        if (blocks == 1 || threads == 1)
        {
            for (int i = 0; i < blocks; i++) body(i * perBlock, Math.Min(perBlock, batch - i * perBlock));
            return;
        }
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads },
            i => body(i * perBlock, Math.Min(perBlock, batch - i * perBlock)));
    }

    private static Span<float> Part(float[] a, int offset, int length) => a.Length == 0 ? Span<float>.Empty : a.AsSpan(offset, length);

    /// <summary>Column sums of a (rows x cols) matrix, summed from zero in row order.</summary>
    private static float[] SumRows(float[] m, int cols)
    {
        var sum = new float[cols];
        Ops.ReduceToPeriod(m, cols, sum);
        return sum;
    }

    /// <summary>
    /// (V x G*H) sums of the rows of <paramref name="dxg"/> by the token that fed each row, in (batch, step) order, split by
    /// columns over two threads: each entry sums its rows in the same order either way.
    /// </summary>
    private static float[] SumRowsPerToken(float[] dxg, LayerBuffers s, TokenRows tokens, int vocab, int gh)
    {
        var sums = BufferPool.Rent(vocab * gh);
        Array.Clear(sums);
        int batch = s.Batch, steps = s.Steps;
        WorkSplit.InTwo(gh, 16, true, (c0, c1) =>
        {
            for (int b = 0; b < batch; b++)
                for (int t = 0; t < steps; t++)
                {
                    var row = sums.AsSpan(tokens.Ids[s.InputRow(b, t)] * gh + c0, c1 - c0);
                    TensorPrimitives.Add(row, dxg.AsSpan((t * batch + b) * gh + c0, c1 - c0), row);
                }
        });
        return sums;
    }

    /// <summary>Copies the rows of time step t (one per batch entry) out of a sequence-shaped buffer.</summary>
    internal static void GatherRows(ReadOnlySpan<float> seq, Span<float> step, int t, int batch, int steps, int width, bool batchFirst)
    {
        if (!batchFirst) { seq.Slice(t * batch * width, batch * width).CopyTo(step); return; }
        for (int b = 0; b < batch; b++) seq.Slice((b * steps + t) * width, width).CopyTo(step.Slice(b * width, width));
    }

    /// <summary>What the forward pass keeps for backward: hidden states h_0..h_T, cells, gate activations.</summary>
    private sealed class LayerBuffers(CellKernel kernel, int batch, int steps, int hidden, int rows, bool batchFirst, int inputRows)
    {
        public int Batch { get; } = batch;
        public int Steps { get; } = steps;
        public int Hidden { get; } = hidden;
        public int Rows { get; } = rows;
        public bool BatchFirst { get; } = batchFirst;
        public float[] Xg { get; } = BufferPool.Rent(inputRows * kernel.Gates * hidden);       // input projections in x's row order, or the biased table
        public float[] H { get; } = BufferPool.Rent((steps + 1) * batch * hidden);             // time-major, h_0 first
        public float[] C { get; } = kernel.HasCell ? BufferPool.Rent((steps + 1) * batch * hidden) : [];
        public float[] Saved { get; } = BufferPool.Rent(steps * batch * kernel.SavedWidth(hidden)); // time-major

        /// <summary>Row of (batch entry b, step t) in x's layout, which the outputs and their gradients share.</summary>
        public int InputRow(int b, int t) => BatchFirst ? b * Steps + t : t * Batch + b;

        /// <summary>Gives the buffers back once backward no longer needs them.</summary>
        public void Release()
        {
            Released = true;
            BufferPool.Return(Xg, H, C, Saved);
        }

        public bool Released { get; private set; }
    }
}
