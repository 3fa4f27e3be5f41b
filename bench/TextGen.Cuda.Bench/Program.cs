// The GPU console that tools/gpu_check.sh runs on a device without the SDK: `probe` prints what CudaProbe found (the library
// set included) and exits 0 when the engine can run, 2 when not; `bench` times the GPU benchmark through the engine seam
// with textgen bench's flags (--config --arch --device --precision --json --steps; comma lists allowed) and prints one JSON
// line per cell with textgen bench --json's keys, or the cell's error, so that one failure hides no other figure.
using System.Text.Json;
using TextGen;
using TextGen.Benchmarks;
using TextGen.Cuda;
using TextGen.Nn;
using TextGen.Training;

var command = args.Length > 0 ? args[0] : "probe";
Console.Error.WriteLine(CudaProbe.Report);
if (command == "probe") return CudaProbe.Report.IsUsable ? 0 : 2;
if (command != "bench")
{
    Console.Error.WriteLine($"unknown command '{command}': use probe, or bench --config S,M,L --arch lstm,gru,rnn --device cuda --precision fp32,tf32 --json");
    return 64;
}

var flags = new Dictionary<string, string> { ["--config"] = "S", ["--arch"] = "lstm", ["--device"] = "cuda", ["--precision"] = "tf32", ["--steps"] = "20" };
bool json = false;
for (int i = 1; i < args.Length; i++)
{
    if (args[i] == "--json") { json = true; continue; }
    if (!flags.ContainsKey(args[i]) || i + 1 == args.Length)
    {
        Console.Error.WriteLine($"unknown or incomplete flag '{args[i]}': use {string.Join(", ", flags.Keys)} VALUE, or --json");
        return 64;
    }
    flags[args[i]] = args[++i];
}
if (flags["--device"] != "cuda")
{
    Console.Error.WriteLine("this console times the CUDA engine only (--device cuda); `textgen bench --device cpu` times the CPU");
    return 64;
}
if (!int.TryParse(flags["--steps"], System.Globalization.CultureInfo.InvariantCulture, out int steps) || steps < 1)
{
    Console.Error.WriteLine($"--steps {flags["--steps"]}: give the number of timed training steps, at least 1");
    return 64;
}

int failures = 0;
foreach (var config in flags["--config"].Split(','))
    foreach (var arch in flags["--arch"].Split(','))
        foreach (var precision in flags["--precision"].Split(','))
        {
            Dictionary<string, object?> line;
            try
            {
                var shape = BenchmarkConfig.Get(config);
                var options = new TrainOptions { Device = TextGen.Tensors.Device.Cuda, AllowTf32 = EnumNames.Parse<Precision>(precision) == Precision.Tf32 };
                using var engine = (CudaEngine)EngineBenchmark.CreateEngine(shape, EnumNames.Parse<RecurrentArch>(arch), options);
                var r = EngineBenchmark.Run(engine, shape, new BenchmarkSettings(Steps: steps, Warmup: 5));
                foreach (var entry in engine.TuningLog) Console.Error.WriteLine(entry);
                line = new()
                {
                    ["config"] = r.Config, ["arch"] = r.Arch.ToName(), ["device"] = "cuda", ["gpu"] = engine.DeviceName,
                    ["precision"] = engine.Precision.ToName(), ["rnn"] = engine.RnnSetting,
                    ["tokens_per_s"] = Math.Round(r.TokensPerSecond), ["step_ms"] = Math.Round(r.MedianStepMs, 3),
                    ["ms_per_token"] = Math.Round(r.GenerationMsPerToken, 4),
                };
                if (!json) Console.WriteLine($"{r.Config} {line["arch"]} on {line["gpu"]} ({line["precision"]}, {line["rnn"]}): {r.TokensPerSecond:N0} tokens/s, {r.GenerationMsPerToken:F4} ms/token");
            }
            catch (Exception e)
            {
                failures++;
                line = new() { ["config"] = config, ["arch"] = arch, ["device"] = "cuda", ["precision"] = precision, ["error"] = $"{e.GetType().Name}: {e.Message}" };
                if (!json) Console.WriteLine($"{config} {arch} {precision}: failed: {e.Message}");
            }
            if (json) Console.WriteLine(Json(line));
        }
return failures == 0 ? 0 : 1;

// One JSON object from strings and numbers, written without reflection (the console travels trimmed).
static string Json(Dictionary<string, object?> line)
{
    using var buffer = new MemoryStream();
    using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
    {
        writer.WriteStartObject();
        foreach (var (key, value) in line)
            switch (value)
            {
                case double d: writer.WriteNumber(key, d); break;
                case null: writer.WriteNull(key); break;
                default: writer.WriteString(key, value.ToString()); break;
            }
        writer.WriteEndObject();
    }
    return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
}
