// Chooses cuDNN's RNN algorithm and math type per shape by timing each candidate once, since the best one changes
// with the shape (PERSIST_STATIC + TF32 wins small models by 4x and loses large ones by 2x on an H100).
using System.Collections.Concurrent;
using System.Diagnostics;
using TextGen.Cuda.Interop;
using TextGen.Nn;

namespace TextGen.Cuda;

/// <summary>Times the recurrent pass (forward, backward data, backward weights) for each candidate setting and remembers the winner per shape.</summary>
internal static class RnnAutotuner
{
    private static readonly ConcurrentDictionary<(CharRnnConfig, int, int, Precision), (int Algo, int Math)> Winners = new();

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
        IntPtr h = device.DnnHandle, none = IntPtr.Zero, seq = b.SequenceLengths.Pointer;
        nuint wBytes = (nuint)rnn.WeightSpaceBytes, work = (nuint)b.Work.Length, reserve = (nuint)b.Reserve.Length;
        // Null initial and final states: every sequence starts from zeros, and the last state needs no gradient.
        CuDnn.Check(CuDnn.cudnnRNNForward(h, rnn.Handle, CuDnn.Training, seq, b.XDesc, b.X.Pointer, b.YDesc, b.Y.Pointer,
            b.HDesc, none, none, b.HDesc, none, none, wBytes, weights, work, b.Work.Pointer, reserve, b.Reserve.Pointer));
        // The decoder's backward pass fills b.DY between these calls in a real step; tuning times the same work on stale values.
        CuDnn.Check(CuDnn.cudnnRNNBackwardData_v8(h, rnn.Handle, seq, b.YDesc, b.Y.Pointer, b.DY.Pointer, b.XDesc, b.DX.Pointer,
            b.HDesc, none, none, none, b.HDesc, none, none, none, wBytes, weights, work, b.Work.Pointer, reserve, b.Reserve.Pointer));
        CuDnn.Check(CuDnn.cudnnRNNBackwardWeights_v8(h, rnn.Handle, CuDnn.WgradAdd, seq, b.XDesc, b.X.Pointer, b.HDesc, none,
            b.YDesc, b.Y.Pointer, wBytes, gradWeights, work, b.Work.Pointer, reserve, b.Reserve.Pointer));
    }

    /// <summary>The fastest candidate for this shape whose weight layout matches <paramref name="layout"/>, timed once per process per shape.</summary>
    /// <remarks><paramref name="weights"/> is the weight space the layout was taken from; <paramref name="scratchGradients"/>
    /// is a buffer of the weight space's size that tuning may overwrite; <paramref name="log"/> receives each candidate's time.</remarks>
    public static CudnnRnnDescriptor Choose(CudaDevice device, CharRnnConfig config, Precision precision, IntPtr dropout,
        TrainingBuffers buffers, FlatParameterLayout layout, IntPtr weights, IntPtr scratchGradients, Action<string>? log = null)
    {
        var key = (config, buffers.Batch, buffers.SeqLen, precision);
        if (Winners.TryGetValue(key, out var known))
            return new CudnnRnnDescriptor(device, config, known.Algo, known.Math, dropout);

        // Timed on non-zero inputs: zeros can take faster paths than real activations do.
        buffers.X.Fill(BitConverter.SingleToUInt32Bits(0.01f), device.Stream);
        buffers.DY.Fill(BitConverter.SingleToUInt32Bits(0.01f), device.Stream);
        CudnnRnnDescriptor? best = null;
        double bestMs = double.MaxValue;
        foreach (var (algo, math) in Candidates(precision))
        {
            var rnn = new CudnnRnnDescriptor(device, config, algo, math, dropout);
            try
            {
                if (rnn.WeightSpaceBytes != layout.WeightSpaceFloats * sizeof(float) || !rnn.Regions(weights).SequenceEqual(layout.RnnRegions))
                    throw new CudaException($"{rnn.Label} lays its weights out differently");
                buffers.PrepareFor(rnn);
                Pass(device, rnn, buffers, weights, scratchGradients);   // warm-up: kernel selection, lazy loading
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
                log?.Invoke($"autotune {config.Arch} B{buffers.Batch} T{buffers.SeqLen} {rnn.Label}: {times[1]:F3} ms");
                if (times[1] < bestMs)
                {
                    best?.Dispose();
                    (best, bestMs) = (rnn, times[1]);
                    continue;
                }
            }
            catch (CudaException e)
            {
                log?.Invoke($"autotune {rnn.Label}: skipped ({e.Message})");
            }
            rnn.Dispose();
        }
        if (best is null) throw new CudaException($"cuDNN supports none of the RNN settings tried for {config} at batch {buffers.Batch}, sequence {buffers.SeqLen}");
        Winners[key] = (best.Algo, best.MathType);
        buffers.PrepareFor(best);
        return best;
    }
}
