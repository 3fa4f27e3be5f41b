// Chooses cuDNN's RNN algorithm and math type per shape by timing each candidate once, since the best one changes
// with the shape (PERSIST_STATIC + TF32 wins small models by 4x and loses large ones by 2x on an H100).
using System.Diagnostics;
using TextGen.Cuda.Interop;
using TextGen.Nn;

namespace TextGen.Cuda;

/// <summary>Times the recurrent pass (forward, backward data, backward weights) for each candidate setting and remembers the winner per shape.</summary>
internal static class RnnAutotuner
{
    /// <summary>The (algorithm, math type) pairs allowed at a precision; strict FP32 excludes every tensor-op math.</summary>
    public static IReadOnlyList<(int Algo, int Math)> Candidates(Precision precision) => precision switch
    {
        Precision.Fp32 => [(CuDnn.AlgoStandard, CuDnn.FmaMath), (CuDnn.AlgoPersistStatic, CuDnn.FmaMath)],
        Precision.Tf32 => [(CuDnn.AlgoStandard, CuDnn.TensorOpMathAllowConversion), (CuDnn.AlgoPersistStatic, CuDnn.TensorOpMathAllowConversion),
              (CuDnn.AlgoStandard, CuDnn.DefaultMath)],
    };

    /// <summary>Runs one training-mode recurrent pass: forward, then backward data and backward weights (accumulating into <paramref name="gradWeights"/>).</summary>
    public static void Pass(CudaDevice device, CudnnRnnDescriptor rnn, TrainingBuffers b, IntPtr weights, IntPtr gradWeights)
    {
        var api = device.Api;
        IntPtr h = device.DnnHandle, none = IntPtr.Zero, seq = b.SequenceLengths.Pointer;
        nuint wBytes = (nuint)rnn.WeightSpaceBytes, work = (nuint)b.Work.Length, reserve = (nuint)b.Reserve.Length;
        // Null initial and final states: every sequence starts from zeros, and the last state needs no gradient.
        api.cudnnRNNForward(h, rnn.Handle, CuDnn.Training, seq, b.XDesc, b.X.Pointer, b.YDesc, b.Y.Pointer,
            b.HDesc, none, none, b.HDesc, none, none, wBytes, weights, work, b.Work.Pointer, reserve, b.Reserve.Pointer);
        // The decoder's backward pass fills b.DY between these calls in a real step; tuning times the same work on stale values.
        api.cudnnRNNBackwardData_v8(h, rnn.Handle, seq, b.YDesc, b.Y.Pointer, b.DY.Pointer, b.XDesc, b.DX.Pointer,
            b.HDesc, none, none, none, b.HDesc, none, none, none, wBytes, weights, work, b.Work.Pointer, reserve, b.Reserve.Pointer);
        api.cudnnRNNBackwardWeights_v8(h, rnn.Handle, CuDnn.WgradAdd, seq, b.XDesc, b.X.Pointer, b.HDesc, none,
            b.YDesc, b.Y.Pointer, wBytes, gradWeights, work, b.Work.Pointer, reserve, b.Reserve.Pointer);
    }

    /// <summary>
    /// The fastest candidate for this shape whose weight layout matches <paramref name="layout"/>, timed once per device per shape,
    /// with <paramref name="buffers"/> sized exactly for it. A candidate cuDNN refuses, lays out otherwise or has no memory for is
    /// skipped, and <paramref name="log"/> hears why; only when every candidate is skipped does the choice throw, with each reason.
    /// </summary>
    /// <remarks><paramref name="weights"/> is the weight space the layout was taken from; <paramref name="scratchGradients"/>
    /// is a buffer of the weight space's size that tuning may overwrite.</remarks>
    public static CudnnRnnDescriptor Choose(CudaDevice device, CharRnnConfig config, Precision precision, IntPtr dropout,
        TrainingBuffers buffers, FlatParameterLayout layout, IntPtr weights, IntPtr scratchGradients, Action<string>? log = null)
    {
        var key = (config, buffers.Batch, buffers.SeqLen, precision);
        if (device.TunedRnn.TryGetValue(key, out var known))
        {
            var cached = new CudnnRnnDescriptor(device, config, known.Algo, known.Math, dropout);
            try
            {
                buffers.PrepareFor(cached, exact: true);   // a cached winner needs its workspace and reserve like a fresh one
                return cached;
            }
            catch
            {
                cached.Dispose();
                throw;
            }
        }

        // Timed on non-zero inputs: zeros can take faster paths than real activations do.
        buffers.X.Fill(device, BitConverter.SingleToUInt32Bits(0.01f));
        buffers.DY.Fill(device, BitConverter.SingleToUInt32Bits(0.01f));
        CudnnRnnDescriptor? best = null;
        double bestMs = double.MaxValue;
        var skipped = new List<string>();
        try
        {
            foreach (var (algo, math) in Candidates(precision))
            {
                CudnnRnnDescriptor? rnn = null;
                try
                {
                    rnn = new CudnnRnnDescriptor(device, config, algo, math, dropout);
                    if (rnn.WeightSpaceBytes != layout.WeightSpaceFloats * sizeof(float) || !rnn.Regions(weights).SequenceEqual(layout.RnnRegions))
                        throw new CudaException($"{rnn.Label} lays its weights out differently");
                    double ms = Time(device, rnn, buffers, weights, scratchGradients);
                    log?.Invoke($"autotune {config.Arch} B{buffers.Batch} T{buffers.SeqLen} {rnn.Label}: {ms:F3} ms");
                    if (ms < bestMs) (best, rnn, bestMs) = (rnn, best, ms);   // the loser, if any, is disposed below
                }
                catch (Exception e) when (e is CudaException or InsufficientMemoryException)
                {
                    string reason = $"{CudnnRnnDescriptor.LabelOf(algo, math)} skipped: {e.Message}";
                    skipped.Add(reason);
                    log?.Invoke($"autotune {config.Arch} B{buffers.Batch} T{buffers.SeqLen} {reason}");
                }
                finally
                {
                    rnn?.Dispose();
                }
            }
            if (best is null)
                throw new CudaException($"cuDNN ran none of the RNN settings tried for {config} at batch {buffers.Batch}, sequence {buffers.SeqLen}: {string.Join("; ", skipped)}");
            // The largest candidate's workspace and reserve go back: the winner keeps exactly what it needs.
            buffers.PrepareFor(best, exact: true);
            device.Allocator.ReleaseCached();
            device.TunedRnn[key] = (best.Algo, best.MathType);
            return best;
        }
        catch
        {
            best?.Dispose();
            throw;
        }
    }

    // The median of three timed passes after one warm-up pass (kernel selection, lazy loading).
    private static double Time(CudaDevice device, CudnnRnnDescriptor rnn, TrainingBuffers buffers, IntPtr weights, IntPtr scratchGradients)
    {
        buffers.PrepareFor(rnn);
        Pass(device, rnn, buffers, weights, scratchGradients);
        device.Synchronize();
        var times = new double[3];
        for (int i = 0; i < times.Length; i++)
        {
            var clock = Stopwatch.StartNew();
            Pass(device, rnn, buffers, weights, scratchGradients);
            device.Synchronize();
            times[i] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times[1];
    }
}
