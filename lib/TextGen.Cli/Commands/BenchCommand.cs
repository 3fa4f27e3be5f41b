// textgen bench: training-step throughput and generation latency on the configurations of BENCHMARKS.md, in words or
// as one strict JSON object (JsonFigures).
using System.CommandLine;
using TextGen.Bench;
using TextGen.Cuda;
using TextGen.Nn;
using TextGen.Tensors;
using TextGen.Training;
using TextGen.Tensors.Kernels;

namespace TextGen.Cli.Commands;

internal static class BenchCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "S, M, M-cpu or L", DefaultValueFactory = _ => "S" };
        var arch = new Option<string>("--arch") { Description = "lstm, gru or rnn", DefaultValueFactory = _ => "lstm" };
        var device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int>("--threads") { Description = "CPU threads (default: all cores)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var steps = new Option<int>("--steps") { Description = "timed training steps", DefaultValueFactory = _ => 10 };
        var json = new Option<bool>("--json") { Description = "print one JSON object" };
        var profile = new Option<bool>("--profile") { Description = "print where a training step spends its time" };
        var precision = new Option<string>("--precision") { Description = "GPU arithmetic: fp32 or tf32", DefaultValueFactory = _ => "tf32" };
        var engine = EngineChoice.Option();
        var cmd = new Command("bench", "Time a full training step (tokens/s) and batch-1 generation (ms/token)") { config, arch, device, threads, steps, json, profile, precision, engine.Option };
        cmd.SetAction(r =>
        {
            var dev = Device.Parse(r.GetValue(device)!);
            var kind = EngineChoice.Read(r, engine);
            if (dev.Type != DeviceType.Cpu && kind != EngineKind.TextGen)
                throw new NotSupportedException("bench --device cuda times TextGen's CUDA backend; the torchsharp engine is benchmarked on the CPU (--device cpu)");
            if (dev.Type != DeviceType.Cpu)
            {
                DeviceCheck.RequireUsableGpu();
                var gpu = CudaBenchmark.Run(BenchmarkConfig.Get(r.GetValue(config)!), EnumNames.Parse<RecurrentArch>(r.GetValue(arch)),
                    EnumNames.Parse<Precision>(r.GetValue(precision)), steps: Math.Max(r.GetValue(steps), 5));
                if (r.GetValue(json))
                    Console.WriteLine(new JsonFigures().Add("config", gpu.Config).Add("arch", gpu.Arch).Add("device", "cuda").Add("gpu", gpu.Device)
                        .Add("precision", gpu.Precision).Add("rnn", gpu.RnnSetting).Add("tokens_per_s", Math.Round(gpu.TokensPerSecond))
                        .Add("step_ms", Math.Round(gpu.MedianStepMs, 3)).Add("ms_per_token", Math.Round(gpu.GenerationMsPerToken, 4)));
                else
                    Console.WriteLine($"{gpu.Config} {gpu.Arch} on {gpu.Device} ({gpu.Precision}, {gpu.RnnSetting}): " +
                        $"{FigureText.Format(gpu.TokensPerSecond, "N0")} tokens/s training, {FigureText.Format(gpu.GenerationMsPerToken, "F3")} ms/token generation");
                return 0;
            }
            if (r.GetValue(threads) < 1) throw new ArgumentException("--threads must be at least 1");
            Blas.MaxThreads = r.GetValue(threads);
            StepProfiler.Enabled = r.GetValue(profile);
            var result = CpuBenchmark.Run(BenchmarkConfig.Get(r.GetValue(config)!), EnumNames.Parse<RecurrentArch>(r.GetValue(arch)), r.GetValue(steps), engine: kind);
            if (r.GetValue(json))
                Console.WriteLine(new JsonFigures().Add("config", result.Config).Add("arch", result.Arch).Add("engine", result.Engine).Add("device", result.Device)
                    .Add("precision", result.Precision).Add("parameters", result.Parameters).Add("tokens_per_s", Math.Round(result.TokensPerSecond))
                    .Add("step_ms", Math.Round(result.MedianStepMs, 2)).Add("ms_per_token", Math.Round(result.GenerationMsPerToken, 6)).Add("threads", result.Threads ?? Blas.MaxThreads)
                    .Add("gflops", Math.Round(result.Gflops ?? 0, 2)).Add("peak_gflops", Math.Round(result.PeakGflops ?? 0, 2))
                    .Add("peak_working_set_mib", Math.Round(result.PeakWorkingSetMib ?? 0, 1)).Add("step_working_set_mib", Math.Round(result.StepWorkingSetMib ?? 0, 1)));
            else
                Console.WriteLine($"{result.Config} {result.Arch} on {result.Device}{(kind == EngineKind.TextGen ? "" : $" with {result.Engine}")} ({result.Threads} threads, {result.Parameters:N0} parameters): " +
                    $"{FigureText.Format(result.TokensPerSecond, "N0")} tokens/s training ({FigureText.Format(result.Gflops ?? 0, "F1")} GFLOP/s of the " +
                    $"{FigureText.Format(result.PeakGflops ?? 0, "F1")} a large matrix product reaches here), {FigureText.Format(result.GenerationMsPerToken, "F4")} ms/token generation, " +
                    $"peak working set {FigureText.Format(result.PeakWorkingSetMib ?? 0, "N0")} MiB");
            if (StepProfiler.Enabled)
                foreach (var (phase, ms) in StepProfiler.Report())
                    Console.WriteLine($"  {phase,-40} {ms / r.GetValue(steps),8:F1} ms/step");
            return 0;
        });
        return cmd;
    }
}
