// textgen bench: the library's benchmark (TextGen.Benchmarks.EngineBenchmark) on any engine and device, through the
// engine seam, in words or as one strict JSON object (JsonFigures). Around it, on the CPU: the thread count, where the
// step spends its time (--profile), the machine's matrix-product peak and the working set.
using System.CommandLine;
using System.Diagnostics;
using TextGen.Benchmarks;
using TextGen.Cuda;
using TextGen.Nn;
using TextGen.Tensors;
using TextGen.Tensors.Kernels;
using TextGen.Training;

namespace TextGen.Cli.Commands;

internal static class BenchCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = $"configuration: {string.Join(", ", BenchmarkConfig.All.Select(c => c.Name))}", DefaultValueFactory = _ => "S" };
        var arch = new EnumFlag<RecurrentArch>("--arch", RecurrentArch.Lstm, "recurrent cell");
        var device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int>("--threads") { Description = "CPU threads (default: all cores)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var steps = new Option<int>("--steps") { Description = "timed training steps", DefaultValueFactory = _ => 10 };
        var json = new Option<bool>("--json") { Description = "print one JSON object" };
        var profile = new Option<bool>("--profile") { Description = "print where a training step spends its time (TextGen's CPU engine)" };
        var precision = new EnumFlag<Precision>("--precision", Precision.Tf32, "GPU arithmetic");
        var engine = EngineChoice.Option();
        var cmd = new Command("bench", "Time a full training step (tokens/s) and batch-1 generation (ms/token) on any engine")
            { config, arch.Option, device, threads, steps, json, profile, precision.Option, engine.Option };
        cmd.SetAction(r =>
        {
            var dev = Device.Parse(r.GetValue(device)!);
            var options = new TrainOptions { Engine = EngineChoice.Read(r, engine), Device = dev, AllowTf32 = precision.Read(r) == Precision.Tf32 };
            var shape = BenchmarkConfig.Get(r.GetValue(config)!);
            if (r.GetValue(threads) < 1) throw new ArgumentException("--threads must be at least 1");
            if (r.GetValue(steps) < 1) throw new ArgumentException("--steps must be at least 1");
            if (dev.Type == DeviceType.Cuda && options.Engine == EngineKind.TextGen) DeviceCheck.RequireUsableGpu();
            Blas.MaxThreads = r.GetValue(threads);
            StepProfiler.Enabled = r.GetValue(profile);
            var result = Measure(shape, arch.Read(r), options, r.GetValue(steps));
            Console.WriteLine(r.GetValue(json) ? Json(result).ToString() : Words(result));
            if (StepProfiler.Enabled)
                foreach (var (phase, ms) in StepProfiler.Report())
                    Console.WriteLine($"  {phase,-40} {ms / r.GetValue(steps),8:F1} ms/step");
            return 0;
        });
        return cmd;
    }

    // The library's benchmark, with what only this process can see measured around it.
    private static BenchmarkResult Measure(BenchmarkConfig shape, RecurrentArch arch, TrainOptions options, int steps)
    {
        var settings = new BenchmarkSettings(Steps: steps);
        using var engine = EngineBenchmark.CreateEngine(shape, arch, options, settings.Seed);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        long before = process.WorkingSet64;
        var result = EngineBenchmark.Run(engine, shape, settings);
        process.Refresh();
        long peak = process.PeakWorkingSet64;
        if (engine.Device.Type == DeviceType.Cuda)
            return result with
            {
                Precision = options.AllowTf32 ? "tf32" : "fp32", DeviceName = CudaProbe.Report.DeviceName, RnnSetting = (engine as CudaEngine)?.RnnSetting,
            };
        return result with
        {
            DeviceName = "cpu", PeakGflops = MatrixProductPeakGflops(),
            PeakWorkingSetMib = peak / (1024.0 * 1024), StepWorkingSetMib = Math.Max(0, peak - before) / (1024.0 * 1024),
        };
    }

    /// <summary>
    /// TextGen's matrix product on 768-square operands at the current thread count, median of 9: the practical FP32 peak of
    /// this machine in this run, against which a step's GFLOP/s shows how far it is from the limit.
    /// </summary>
    private static double MatrixProductPeakGflops()
    {
        const int n = 768;
        var random = new Generator(7);
        float[] a = new float[n * n], b = new float[n * n], product = new float[n * n];
        random.FillUniform(a, -1, 1);
        random.FillUniform(b, -1, 1);
        double ms = MedianTimer.Measure(() => Blas.Sgemm(false, false, n, n, n, a, b, product), 9, warmup: 2).MedianMs;
        return 2.0 * n * n * n / (ms / 1000) / 1e9;
    }

    private static JsonFigures Json(BenchmarkResult b) => new JsonFigures()
        .Add("config", b.Config).Add("arch", b.Arch.ToName()).Add("engine", b.Engine.ToName()).Add("device", b.Device.ToString()).Add("gpu", b.Device.Type == DeviceType.Cuda ? b.DeviceName : null)
        .Add("precision", b.Precision).Add("rnn", b.RnnSetting).Add("parameters", b.Parameters).Add("tokens_per_s", Math.Round(b.TokensPerSecond))
        .Add("step_ms", Math.Round(b.MedianStepMs, 3)).Add("ms_per_token", Math.Round(b.GenerationMsPerToken, 6)).Add("threads", b.Threads)
        .Add("gflops", Math.Round(b.Gflops, 2)).Add("peak_gflops", Round(b.PeakGflops, 2))
        .Add("peak_working_set_mib", Round(b.PeakWorkingSetMib, 1)).Add("step_working_set_mib", Round(b.StepWorkingSetMib, 1));

    private static double? Round(double? value, int digits) => value is { } v ? Math.Round(v, digits) : null;

    private static string Words(BenchmarkResult b)
    {
        string where = b.Device.Type == DeviceType.Cuda
            ? $"{b.DeviceName ?? b.Device.ToString()} ({b.Precision}{(b.RnnSetting is { Length: > 0 } rnn ? $", {rnn}" : "")})"
            : $"cpu ({b.Threads} threads)";
        string engine = b.Engine == EngineKind.TextGen ? "" : $" with {b.Engine.ToName()}";
        string peak = b.PeakGflops is { } p ? $" of the {FigureText.Format(p, "F1")} a large matrix product reaches here" : "";
        string memory = b.PeakWorkingSetMib is { } m ? $", peak working set {FigureText.Format(m, "N0")} MiB" : "";
        return $"{b.Config} {b.Arch.ToName()} on {where}{engine}, {b.Parameters:N0} parameters: {FigureText.Format(b.TokensPerSecond, "N0")} tokens/s training " +
            $"({FigureText.Format(b.Gflops, "F1")} GFLOP/s{peak}), {FigureText.Format(b.GenerationMsPerToken, "F4")} ms/token generation{memory}";
    }
}
