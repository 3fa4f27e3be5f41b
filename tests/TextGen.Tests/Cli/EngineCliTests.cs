// The textgen command with --engine torchsharp, end to end as a user runs it: the CLI builds and loads the TorchSharp
// engine from NuGet's cache at run time (it does not reference it), trains Shakespeare for 30 steps, and the checkpoint
// evaluates to the same loss and generates the same greedy text under both engines; bench times the same step on both.
using System.Globalization;
using System.Text.Json;
using Xunit;

namespace TextGen.Tests.Cli;

public class EngineCliTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);
    private readonly string dir = Directory.CreateTempSubdirectory("textgen-engine-cli-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private CliResult Run(params string[] args)
    {
        var r = CliRunner.Run(dir, Patience, new Dictionary<string, string?> { ["TEXTGEN_DATA"] = Path.Combine(dir, "cache") }, args);
        Assert.True(r.ExitCode == 0, $"textgen {string.Join(' ', args)} failed ({r.ExitCode}): {r.Stderr}");
        return r;
    }

    private static JsonElement LastJson(CliResult r) => JsonDocument.Parse(r.Stdout.Trim().Split('\n')[^1]).RootElement;

    [Fact]
    public void A_checkpoint_trained_by_torchsharp_evaluates_and_generates_alike_under_both_engines()
    {
        var shakespeare = SharedData.File("tinyshakespeare.txt");
        var train = LastJson(Run("train", "--engine", "torchsharp", "--corpus", shakespeare, "--steps", "30", "--hidden", "64", "--embedding-dim", "32",
            "--eval-interval", "30", "--out", "ts.safetensors", "--json"));
        Assert.Equal(30, train.GetProperty("steps").GetInt32());
        Assert.True(train.GetProperty("val_loss").GetDouble() < Math.Log(65), "30 TorchSharp steps learned nothing");

        // The checkpoint is the same file whichever engine wrote it: both engines read it and agree on its loss.
        string text = File.ReadAllText(shakespeare)[^20_000..];
        File.WriteAllText(Path.Combine(dir, "tail.txt"), text);
        double Loss(string engine) => LastJson(Run("eval", "--engine", engine, "--model", "ts.safetensors", "--text-file", "tail.txt", "--json")).GetProperty("loss").GetDouble();
        double ours = Loss("textgen"), theirs = Loss("torchsharp");
        Assert.True(Math.Abs(ours - theirs) <= 1e-4 * ours, $"eval: textgen {ours.ToString("R", CultureInfo.InvariantCulture)}, torchsharp {theirs.ToString("R", CultureInfo.InvariantCulture)}");

        string Greedy(string engine) => Run("generate", "--engine", engine, "--model", "ts.safetensors", "--prompt", "ROMEO:", "--length", "80", "--strategy", "greedy").Stdout;
        Assert.Equal(Greedy("textgen"), Greedy("torchsharp"));
    }

    [Fact]
    public void Bench_times_the_same_step_on_both_engines_and_names_the_engine()
    {
        var results = new[] { "textgen", "torchsharp" }.Select(e => LastJson(Run("bench", "--config", "S", "--engine", e, "--steps", "2", "--json"))).ToList();
        Assert.Equal(["textgen", "torchsharp"], results.Select(r => r.GetProperty("engine").GetString()));
        Assert.Equal(results[0].GetProperty("parameters").GetInt64(), results[1].GetProperty("parameters").GetInt64());
        Assert.All(results, r => Assert.True(r.GetProperty("tokens_per_s").GetDouble() > 0 && r.GetProperty("ms_per_token").GetDouble() > 0));
    }
}
