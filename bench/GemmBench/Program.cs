// Times Blas.Sgemm on the shapes the recurrent layers use, on 1 and 2 threads, and prints GFLOP/s.
// Usage: dotnet run -c Release --project bench/GemmBench [-- filter]   (filter matches shape names)
using System.Diagnostics;
using System.Runtime.Intrinsics;
using TextGen.Benchmarks;
using TextGen.Tensors;
using TextGen.Tensors.Kernels;

var shapes = new (string Name, bool TransA, bool TransB, int M, int N, int K)[]
{
    ("square 1024^3 NN", false, false, 1024, 1024, 1024),
    ("square 1024^3 NT", false, true, 1024, 1024, 1024),
    ("square 1024^3 TN", true, false, 1024, 1024, 1024),
    ("square 1024^3 TT", true, true, 1024, 1024, 1024),
    ("S input proj x W_ih^T (NT)", false, true, 6400, 1024, 64),
    ("M input proj L1 (NT)", false, true, 4096, 2048, 128),
    ("M input proj L2 (NT)", false, true, 4096, 2048, 512),
    ("L-ish input proj (NT)", false, true, 32768, 1024, 256),
    ("S step h x W_hh^T (NT)", false, true, 64, 1024, 256),
    ("M step h x W_hh^T (NT)", false, true, 32, 2048, 512),
    ("S step dh = dg W_hh (NN)", false, false, 64, 256, 1024),
    ("M step dh = dg W_hh (NN)", false, false, 32, 512, 2048),
    ("S dx = dg W_ih (NN)", false, false, 6400, 64, 1024),
    ("S dW_hh = dg^T H (TN)", true, false, 1024, 256, 6400),
    ("S dW_ih = dg^T X (TN)", true, false, 1024, 64, 6400),
    ("M dW_hh = dg^T H (TN)", true, false, 2048, 512, 4096),
    ("S decoder logits (NT)", false, true, 6400, 65, 256),
    ("S decoder dA (NN)", false, false, 6400, 256, 65),
    ("S decoder dW (TN)", true, false, 65, 256, 6400),
    ("generate h x W_hh^T (NT)", false, true, 1, 1024, 256),
    ("generate decoder (NT)", false, true, 1, 65, 256),
};

string? filter = args.Length > 0 ? args[0] : null;
Console.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} cores, Vector512 accelerated: {Vector512.IsHardwareAccelerated}");
Console.WriteLine("Median of timed reps after warm-up; the machine is shared, so figures are noisy.");
Console.WriteLine($"{"GFLOP/s: median (best)",-30} {"m",6} {"n",6} {"k",6} {"1 thread",16} {"2 threads",16}");
var rng = new Generator(1);
foreach (var s in shapes)
{
    if (filter != null && !s.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)) continue;
    var a = new float[(long)s.M * s.K]; var b = new float[(long)s.K * s.N]; var c = new float[(long)s.M * s.N];
    rng.FillUniform(a, -1, 1); rng.FillUniform(b, -1, 1);
    double flops = 2.0 * s.M * s.N * s.K;
    var cells = new string[2];
    for (int t = 1; t <= 2; t++)
    {
        Blas.MaxThreads = t;
        var (median, best) = Seconds(() => Blas.Sgemm(s.TransA, s.TransB, s.M, s.N, s.K, a, b, c));
        cells[t - 1] = $"{flops / median / 1e9,7:F1} ({flops / best / 1e9,6:F1})";
    }
    Console.WriteLine($"{s.Name,-30} {s.M,6} {s.N,6} {s.K,6} {cells[0],16} {cells[1],16}");
}

// Warm up (JIT tiers, buffers) for about 0.15 s, then time enough reps to fill about 0.4 s; returns the median and the fastest.
static (double Median, double Best) Seconds(Action run)
{
    var sw = Stopwatch.StartNew();
    int warm = 0;
    while (warm < 3 || sw.Elapsed.TotalSeconds < 0.15) { run(); warm++; }
    double once = sw.Elapsed.TotalSeconds / warm;
    var sample = MedianTimer.Measure(run, repeats: Math.Clamp((int)(0.4 / once), 5, 2000), warmup: 0);
    return (sample.MedianMs / 1000, sample.MinMs / 1000);
}
