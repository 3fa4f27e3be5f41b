// The textgen command end to end: train, generate, eval, and one-line errors for bad input.
using System.Text.Json;
using Xunit;

namespace TextGen.Tests.Cli;

public class CliTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("textgen-cli-").FullName;
    private readonly string corpus;

    public CliTests()
    {
        corpus = Path.Combine(dir, "corpus.txt");
        File.WriteAllText(corpus, string.Concat(Enumerable.Repeat("the cat sat on the mat. the dog ate the log.\n", 200)));
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private CliResult Train(string outName, string seed = "3") => CliRunner.Run(dir, "train", "--corpus", corpus, "--hidden", "24", "--embedding-dim", "8",
        "--batch", "4", "--seq-len", "20", "--steps", "30", "--eval-interval", "10", "--seed", seed, "--out", outName, "--json");

    private static void AssertOneLineError(CliResult r, string contains)
    {
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: ", r.Stderr);
        Assert.Contains(contains, r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr); // no stack trace
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Train_prints_json_metrics_and_a_seeded_run_is_reproducible()
    {
        var a = Train("a.safetensors");
        Assert.True(a.ExitCode == 0, a.Stderr);
        var j = JsonDocument.Parse(a.Stdout.Trim().Split('\n')[^1]).RootElement;
        foreach (var key in new[] { "train_loss", "val_loss", "val_bpc", "val_ppl", "tokens_per_s", "steps", "checkpoint" })
            Assert.True(j.TryGetProperty(key, out _), $"missing {key}");
        Assert.Equal(30, j.GetProperty("steps").GetInt32());
        Assert.True(j.GetProperty("val_loss").GetDouble() < Math.Log(13), "the model learned nothing");
        Assert.Equal(j.GetProperty("val_loss").GetDouble() / Math.Log(2), j.GetProperty("val_bpc").GetDouble(), 4);
        var b = Train("b.safetensors");
        var jb = JsonDocument.Parse(b.Stdout.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal(j.GetProperty("val_loss").GetDouble(), jb.GetProperty("val_loss").GetDouble());
        Assert.Equal(j.GetProperty("train_loss").GetDouble(), jb.GetProperty("train_loss").GetDouble());

        var g1 = CliRunner.Run(dir, "generate", "--model", "a.safetensors", "--prompt", "the ", "--length", "40", "--seed", "5");
        var g2 = CliRunner.Run(dir, "generate", "--model", "b.safetensors", "--prompt", "the ", "--length", "40", "--seed", "5");
        Assert.True(g1.ExitCode == 0, g1.Stderr);
        Assert.StartsWith("the ", g1.Stdout);
        Assert.Equal(4 + 40, g1.Stdout.TrimEnd('\n').Length);
        Assert.Equal(g1.Stdout, g2.Stdout);

        var e = CliRunner.Run(dir, "eval", "--model", "a.safetensors", "--text-file", corpus, "--json");
        Assert.True(e.ExitCode == 0, e.Stderr);
        var je = JsonDocument.Parse(e.Stdout).RootElement;
        Assert.Equal(File.ReadAllText(corpus).Length - 1, je.GetProperty("tokens").GetInt64());
        Assert.Equal(Math.Exp(je.GetProperty("loss").GetDouble()), je.GetProperty("ppl").GetDouble(), 6);
    }

    [Fact]
    public void Device_cuda_without_a_gpu_says_what_is_missing_in_one_line()
    {
        var report = TextGen.Cuda.CudaProbe.Report;
        if (report.IsUsable) Assert.Skip("a usable GPU is present: the GPU tests cover --device cuda here");
        foreach (var args in new[] { new[] { "bench", "--device", "cuda" }, ["train", "--corpus", corpus, "--device", "cuda", "--steps", "1"] })
        {
            var r = CliRunner.Run(dir, args);
            AssertOneLineError(r, "--device cuda: ");
            Assert.Contains(report.Problems[0], r.Stderr);
            Assert.Contains("Use --device cpu", r.Stderr);
        }
    }

    [Theory]
    [InlineData("--arch", "transformer", "unknown architecture 'transformer': use rnn, rnn_relu, lstm or gru")]
    [InlineData("--optimizer", "adagrad", "unknown optimizer 'adagrad': use adam, adamw or sgd")]
    [InlineData("--device", "tpu", "unknown device 'tpu': use cpu, cuda or cuda:N")]
    [InlineData("--engine", "jax", "unknown engine 'jax': use textgen or torchsharp")]
    public void A_wrong_typed_setting_is_named_with_the_values_that_work(string flag, string value, string message)
    {
        AssertOneLineError(CliRunner.Run(dir, "train", "--corpus", corpus, flag, value, "--steps", "1"), message);
    }

    [Fact]
    public void Typed_settings_accept_the_spellings_of_the_flags()
    {
        var r = CliRunner.Run(dir, "train", "--corpus", corpus, "--arch", "GRU", "--optimizer", "adamw", "--device", "cpu", "--hidden", "8",
            "--embedding-dim", "4", "--batch", "2", "--seq-len", "8", "--steps", "2", "--eval-interval", "1", "--out", "g.safetensors", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("gru", TextGen.Training.SafeTensors.Read(Path.Combine(dir, "g.safetensors")).Metadata["arch"]);
    }

    [Fact]
    public void Bad_input_gets_one_line_errors_and_leaves_files_intact()
    {
        Assert.Equal(0, Train("m.safetensors").ExitCode);
        var model = Path.Combine(dir, "m.safetensors");
        var before = File.ReadAllBytes(model);
        AssertOneLineError(CliRunner.Run(dir, "generate", "--model", "m.safetensors", "--temperature", "0"), "--strategy greedy");
        AssertOneLineError(CliRunner.Run(dir, "generate", "--model", "m.safetensors", "--top-p", "1.5"), "top-p");
        AssertOneLineError(CliRunner.Run(dir, "generate", "--model", "m.safetensors", "--top-k", "-2"), "top-k");
        AssertOneLineError(CliRunner.Run(dir, "generate", "--model", "m.safetensors", "--prompt", "Zebra!"), "'Z' (U+005A)");
        AssertOneLineError(CliRunner.Run(dir, "generate", "--model", "m.safetensors", "--prompt", "ZQX", "--unknown", "skip"), "no character the model knows");
        AssertOneLineError(CliRunner.Run(dir, "generate", "--model", "missing.safetensors"), "does not exist");
        File.WriteAllBytes(Path.Combine(dir, "cut.safetensors"), before[..(before.Length / 2)]);
        AssertOneLineError(CliRunner.Run(dir, "generate", "--model", "cut.safetensors"), "truncated");
        File.WriteAllText(Path.Combine(dir, "empty.txt"), "");
        AssertOneLineError(CliRunner.Run(dir, "train", "--corpus", "empty.txt", "--steps", "1"), "empty");
        File.WriteAllText(Path.Combine(dir, "short.txt"), "tiny text");
        AssertOneLineError(CliRunner.Run(dir, "train", "--corpus", "short.txt", "--steps", "1"), "too few");
        AssertOneLineError(CliRunner.Run(dir, "train", "--corpus", "no-such-corpus", "--steps", "1"), "tinyshakespeare");
        AssertOneLineError(CliRunner.Run(dir, "train", "--corpus", corpus, "--layers", "0", "--steps", "1"), "layers");
        Assert.Equal(before, File.ReadAllBytes(model));
    }

    [Fact]
    public void Train_names_the_model_with_its_parameter_count()
    {
        var r = CliRunner.Run(dir, "train", "--corpus", corpus, "--hidden", "8", "--embedding-dim", "4", "--batch", "2", "--seq-len", "8",
            "--steps", "2", "--eval-interval", "1", "--out", "p.safetensors");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Matches(@"(?m)^Training a lstm 1x8 \(\d[\d,]* parameters\) on ", r.Stdout);   // the count, not a delegate's name
    }
}
