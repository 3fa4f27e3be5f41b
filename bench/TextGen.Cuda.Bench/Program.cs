// GPU bench console: `probe`, `parity` (trainer vs float64 reference, fp32 and tf32) and
// `bench CONFIGS ARCHS PRECISIONS` (comma lists): the library's benchmark through the CUDA engine, as `textgen bench
// --device cuda` runs it, one JSON object per line, the form torch_bench.py --json prints.
using System.Text.Json;
using TextGen;
using TextGen.Benchmarks;
using TextGen.Cuda;
using TextGen.Nn;
using TextGen.Tensors;
using TextGen.Tests.Cuda;
using TextGen.Training;

var command = args.Length > 0 ? args[0] : "probe";
var json = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
int failures = 0;

Console.WriteLine(CudaProbe.Report);
if (!CudaProbe.Report.IsUsable || command == "probe") return CudaProbe.Report.IsUsable ? 0 : 2;
if (command is "parity" or "all")
{
    foreach (var precision in new[] { Precision.Fp32, Precision.Tf32 })
        foreach (var arch in Enum.GetValues<RecurrentArch>())
        {
            double limit = precision == Precision.Fp32 ? 1e-4 : 2e-3;
            try
            {
                var (error, worst) = GpuParity.Check(arch, precision);
                bool ok = error < limit;
                failures += ok ? 0 : 1;
                Console.WriteLine(JsonSerializer.Serialize(new { kind = "parity", arch = arch.ToString(), precision = precision.ToName(), error, worst, limit, ok }, json));
            }
            catch (Exception e)
            {
                failures++;
                Console.WriteLine(JsonSerializer.Serialize(new { kind = "parity", arch = arch.ToString(), precision = precision.ToName(), failed = e.ToString() }, json));
            }
        }
}
if (command is "bench" or "all")
{
    string configs = args.Length > 1 ? args[1] : "S,M,L";
    string archs = args.Length > 2 ? args[2] : "lstm,gru,rnn";
    string precisions = args.Length > 3 ? args[3] : "tf32";
    foreach (var config in configs.Split(','))
        foreach (var arch in archs.Split(','))
            foreach (var precision in precisions.Split(','))
            {
                try
                {
                    var options = new TrainOptions { Device = Device.Cuda, AllowTf32 = EnumNames.Parse<Precision>(precision) == Precision.Tf32 };
                    var shape = BenchmarkConfig.Get(config);
                    using var engine = EngineBenchmark.CreateEngine(shape, EnumNames.Parse<RecurrentArch>(arch), options);
                    var result = EngineBenchmark.Run(engine, shape, new BenchmarkSettings(Steps: 20, Warmup: 5)) with
                    {
                        Precision = options.AllowTf32 ? "tf32" : "fp32", DeviceName = CudaDevice.Default.Name, RnnSetting = (engine as CudaEngine)?.RnnSetting,
                    };
                    Console.WriteLine(JsonSerializer.Serialize(new { kind = "bench", result }, json));
                }
                catch (Exception e)
                {
                    failures++;
                    Console.WriteLine(JsonSerializer.Serialize(new { kind = "bench", config, arch, precision, failed = e.ToString() }, json));
                }
            }
}
return failures == 0 ? 0 : 1;
