// A small persistent team of worker threads for the matrix product: the caller and parked workers
// take pieces of C (row or column bands) from a shared counter. k is never split.
namespace TextGen.Tensors.Kernels;

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
    private static int chunk, pieces, nextPiece, pending;
    private static Exception? failure;

    /// <summary>Runs the product on <paramref name="threads"/> threads (the caller included), or serially if the team is busy.</summary>
    public static void Run(in GemmArgs g, int threads)
    {
        int mUnits = (g.M + GemmDriver.MR - 1) / GemmDriver.MR, nUnits = (g.N + GemmDriver.NR - 1) / GemmDriver.NR;
        // Split the longer side of C; a split of the other side would repack the long operand on every thread.
        bool rows = mUnits >= threads && (g.M >= g.N || nUnits < threads);
        int units = rows ? mUnits : nUnits;
        // About four pieces per thread, handed out first come first served, so a thread slowed by
        // another process on the shared cores does not hold up the product; pieces stay between
        // 128 rows or columns (repacking the other operand per piece stays cheap) and one cache block.
        int unit = rows ? GemmDriver.MR : GemmDriver.NR;
        int minUnits = 128 / unit, maxUnits = (rows ? GemmDriver.MC : GemmDriver.NC) / unit;
        int pieceUnits = Math.Clamp((units + 4 * threads - 1) / (4 * threads), Math.Min(minUnits, units), maxUnits);
        int pieceCount = (units + pieceUnits - 1) / pieceUnits;
        threads = Math.Min(threads, pieceCount);
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
            chunk = pieceUnits * unit;
            pieces = pieceCount;
            nextPiece = 0;
            failure = null;
            pending = threads - 1;
            Done.Reset();
            for (int t = 0; t < threads - 1; t++) workers[t].Start.Set();
            RunPieces();
            Done.Wait();
            if (failure != null) throw new InvalidOperationException("sgemm: a worker thread failed", failure);
        }
        finally { Monitor.Exit(Gate); }
    }

    private static void RunPieces()
    {
        for (int piece; (piece = Interlocked.Increment(ref nextPiece) - 1) < pieces;) RunPiece(piece);
    }

    private static void RunPiece(int piece)
    {
        int extent = splitRows ? job.M : job.N;
        int lo = Math.Min(extent, piece * chunk), hi = Math.Min(extent, lo + chunk);
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

    /// <summary>A parked background thread that takes pieces of the product each time it is started.</summary>
    private sealed class Worker
    {
        public readonly ManualResetEventSlim Start = new(false);
        public Worker(int part)
        {
            new Thread(Loop) { IsBackground = true, Name = $"TextGen sgemm {part}" }.Start();
        }

        private void Loop()
        {
            while (true)
            {
                Start.Wait();
                Start.Reset();
                try { RunPieces(); }
                catch (Exception e) { failure = e; }
                if (Interlocked.Decrement(ref pending) == 0) Done.Set();
            }
        }
    }
}
