// Work split between the calling thread and one partner thread that spins while work keeps coming. A
// batch-1 generation step is a few microseconds, and handing half of it to a pool thread (Parallel.Invoke)
// costs about as much; a spinning partner picks it up in a fraction of a microsecond. Between bursts the
// partner parks, so an idle process burns no CPU.
using System.Diagnostics;

namespace TextGen.Tensors.Kernels;

/// <summary>A piece of work in two parts: part 0 runs on the caller, part 1 on the partner thread.</summary>
internal interface IPairedJob
{
    /// <summary>Runs one part; the two parts must touch disjoint outputs.</summary>
    void Run(int part);
}

/// <summary>Runs the two parts of a <see cref="IPairedJob"/> at once on the caller and a spinning partner thread.</summary>
internal static class PairedWork
{
    /// <summary>How long the partner spins for the next job before it parks: far longer than the gap between two generation steps.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 2000;

    private static readonly object Gate = new();
    private static readonly SemaphoreSlim Wake = new(0);
    private static IPairedJob? job;
    private static int posted, finished, sleeping;
    private static Exception? failure;
    private static Thread? partner;

    /// <summary>
    /// Runs part 0 here and part 1 on the partner, and returns when both are done. With one thread allowed
    /// (<see cref="Blas.MaxThreads"/>), or while another caller holds the partner, both parts run here in turn.
    /// </summary>
    public static void Run(IPairedJob work)
    {
        if (Blas.MaxThreads < 2 || !Monitor.TryEnter(Gate))
        {
            work.Run(0);
            work.Run(1);
            return;
        }
        try
        {
            partner ??= StartPartner();
            job = work;
            failure = null;
            int ticket = posted + 1;
            Volatile.Write(ref posted, ticket);
            // Dekker-style: the partner sets sleeping before its last look at posted, this side posts before looking at sleeping.
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref sleeping) == 1 && Interlocked.Exchange(ref sleeping, 0) == 1) Wake.Release();
            // Even when this half throws, the partner's half must end before the caller may touch the outputs again.
            try { work.Run(0); }
            finally
            {
                // The partner's half takes as long as this one: spin, and yield only if it was descheduled.
                for (int spins = 0; Volatile.Read(ref finished) != ticket; spins++)
                {
                    if (spins < 20000) Thread.SpinWait(1);
                    else Thread.Yield();
                }
                job = null;
            }
            if (failure is { } e) throw new InvalidOperationException("a paired work item failed on the partner thread", e);
        }
        finally { Monitor.Exit(Gate); }
    }

    private static Thread StartPartner()
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = "TextGen paired work" };
        thread.Start();
        return thread;
    }

    private static void Loop()
    {
        int seen = 0;
        while (true)
        {
            long deadline = Stopwatch.GetTimestamp() + SpinTicks;
            while (Volatile.Read(ref posted) == seen)
            {
                Thread.SpinWait(8);
                if (Stopwatch.GetTimestamp() < deadline) continue;
                Volatile.Write(ref sleeping, 1);
                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref posted) != seen)
                {
                    Interlocked.Exchange(ref sleeping, 0);
                    break;
                }
                Wake.Wait();
                deadline = Stopwatch.GetTimestamp() + SpinTicks;
            }
            seen = Volatile.Read(ref posted);
            try { job!.Run(1); }
            catch (Exception e) { failure = e; }
            Volatile.Write(ref finished, seen);
        }
    }
}
