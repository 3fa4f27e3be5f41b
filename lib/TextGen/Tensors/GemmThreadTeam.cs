// A small persistent team of worker threads for the matrix product: the caller takes part 0,
// parked workers take the others. C is split into rectangles only, never along k.
namespace TextGen.Tensors;

/// <summary>Splits one product over up to <see cref="Blas.MaxThreads"/> threads without allocating per call.</summary>
/// <remarks>
/// One product uses the team at a time; a product that finds it busy (another thread is mid-product)
/// runs on its caller alone, so concurrent callers never oversubscribe the cores. Because each
/// element of C is summed in the same order whatever rectangle holds it, results are bit-identical
/// for any thread count.
/// </remarks>
internal static class GemmThreadTeam
{
    private static readonly object Gate = new();
    private static readonly ManualResetEventSlim Done = new(false);
    private static Worker[] workers = [];
    private static GemmArgs job;
    private static bool splitRows;
    private static int chunk, pending;
    private static Exception? failure;

    /// <summary>Runs the product on <paramref name="threads"/> threads (the caller included), or serially if the team is busy.</summary>
    public static void Run(in GemmArgs g, int threads)
    {
        int mUnits = (g.M + GemmDriver.MR - 1) / GemmDriver.MR, nUnits = (g.N + GemmDriver.NR - 1) / GemmDriver.NR;
        // Split the longer side of C; a split of the other side would repack the long operand on every thread.
        bool rows = mUnits >= threads && (g.M >= g.N || nUnits < threads);
        int units = rows ? mUnits : nUnits;
        threads = Math.Min(threads, units);
        if (threads <= 1 || !Monitor.TryEnter(Gate))
        {
            GemmDriver.Run(g, 0, g.M, 0, g.N);
            return;
        }
        try
        {
            EnsureWorkers(threads - 1);
            job = g;
            splitRows = rows;
            chunk = (units + threads - 1) / threads * (rows ? GemmDriver.MR : GemmDriver.NR);
            failure = null;
            pending = threads - 1;
            Done.Reset();
            for (int t = 0; t < threads - 1; t++) workers[t].Start.Set();
            RunPart(0);
            Done.Wait();
            if (failure != null) throw new InvalidOperationException("sgemm: a worker thread failed", failure);
        }
        finally { Monitor.Exit(Gate); }
    }

    private static void RunPart(int part)
    {
        int extent = splitRows ? job.M : job.N;
        int lo = Math.Min(extent, part * chunk), hi = Math.Min(extent, lo + chunk);
        if (lo >= hi) return;
        if (splitRows) GemmDriver.Run(job, lo, hi, 0, job.N);
        else GemmDriver.Run(job, 0, job.M, lo, hi);
    }

    private static void EnsureWorkers(int count)
    {
        if (workers.Length >= count) return;
        var grown = new Worker[count];
        Array.Copy(workers, grown, workers.Length);
        for (int t = workers.Length; t < count; t++) grown[t] = new Worker(t + 1);
        workers = grown;
    }

    /// <summary>A parked background thread that computes one rectangle each time it is started.</summary>
    private sealed class Worker
    {
        public readonly ManualResetEventSlim Start = new(false);
        private readonly int part;

        public Worker(int part)
        {
            this.part = part;
            new Thread(Loop) { IsBackground = true, Name = $"TextGen sgemm {part}" }.Start();
        }

        private void Loop()
        {
            while (true)
            {
                Start.Wait();
                Start.Reset();
                try { RunPart(part); }
                catch (Exception e) { failure = e; }
                if (Interlocked.Decrement(ref pending) == 0) Done.Set();
            }
        }
    }
}
