// Figures that overflow a double: a model whose mean loss is above 709 nats has an infinite perplexity. The text
// output shows ∞, and train, eval and bench --json stay strict JSON (null plus a "_nonfinite" flag).
using System.Text.Json;
using TextGen.Cli.Commands;
using TextGen.Nn;
using TextGen.Tests.Cli;
using TextGen.Training;
using TextGen.Text;
using Xunit;

namespace TextGen.Tests.Reliability;

public class NonFiniteFigureTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("textgen-overflow-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private const string Text = "to be or not to be, that is the question.\n";
    private static readonly string[] Vocab = [.. Text.Distinct().Order().Select(c => c.ToString())];

    /// <summary>The largest x with a finite e^x in double precision.</summary>
    private static readonly double LargestFiniteExponent = Math.Log(double.MaxValue);

    // A 3-layer ReLU RNN with its input weights and decoder scaled up: no saturation, so the logits grow with each layer
    // and the model is confidently wrong by hundreds of nats. The recurrent weights are zeroed so nothing grows over time.
    private static CharRnnModel OverflowingModel()
    {
        var model = new CharRnnModel(new CharRnnConfig(Vocab.Length, RecurrentArch.RnnRelu, 8, 16, 3), seed: 11);
        foreach (var (name, p) in model.NamedParameters())
        {
            float scale = name.Contains("weight_hh") ? 0f : name.Contains("bias") ? 1f : 8f;
            for (int i = 0; i < p.Data.Length; i++) p.Data[i] *= scale;
        }
        return model;
    }

    private static int[] Ids(string text) => [.. text.Select(c => Array.IndexOf(Vocab, c.ToString()))];

    private string Save(CharRnnModel model)
    {
        var path = Path.Combine(dir, "overflow.safetensors");
        ModelCheckpoint.Save(path, model, TokenizerKind.Char, Vocab);
        return path;
    }

    private static JsonElement StrictJson(string line) =>
        // Strict: no comments, no trailing commas, and NaN or Infinity as bare words are not JSON at all.
        JsonDocument.Parse(line, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow }).RootElement;

    [Fact]
    public void The_test_model_really_has_a_finite_loss_whose_perplexity_overflows()
    {
        var (loss, _) = Evaluator.StreamLoss(OverflowingModel(), Ids(Text));
        Assert.True(double.IsFinite(loss), $"loss {loss}");
        Assert.True(loss > LargestFiniteExponent, $"loss {loss} must exceed {LargestFiniteExponent:F2} nats for e^loss to overflow");
        Assert.True(double.IsPositiveInfinity(Math.Exp(loss)));
    }

    [Fact]
    public void Eval_json_of_the_overflowing_model_parses_as_strict_json_with_a_null_perplexity_and_its_flag()
    {
        var model = OverflowingModel();
        var (loss, tokens) = Evaluator.StreamLoss(model, Ids(Text));
        var textFile = Path.Combine(dir, "text.txt");
        File.WriteAllText(textFile, Text);
        var r = CliRunner.Run(dir, "eval", "--model", Save(model), "--text-file", textFile, "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var j = StrictJson(r.Stdout.Trim());
        Assert.Equal(loss, j.GetProperty("loss").GetDouble(), 1e-9 * loss);
        Assert.Equal(loss / Math.Log(2), j.GetProperty("bpc").GetDouble(), 1e-9 * loss);
        Assert.Equal(JsonValueKind.Null, j.GetProperty("ppl").ValueKind);
        Assert.Equal("Infinity", j.GetProperty("ppl" + JsonFigures.NonFiniteSuffix).GetString());
        Assert.Equal(tokens, j.GetProperty("tokens").GetInt64());
        Assert.False(j.TryGetProperty("loss" + JsonFigures.NonFiniteSuffix, out _), "a finite figure carries no flag");

        var words = CliRunner.Run(dir, "eval", "--model", Save(model), "--text-file", textFile);
        Assert.True(words.ExitCode == 0, words.Stderr);
        Assert.Contains("perplexity ∞", words.Stdout);
        Assert.DoesNotContain("Infinity", words.Stdout);
    }

    [Fact]
    public void Train_json_of_a_run_whose_best_perplexity_overflows_is_strict_json()
    {
        // A short fine-tuning run of the overflowing model leaves a resume state; the CLI continues it by one step.
        var corpusFile = Path.Combine(dir, "corpus.txt");
        File.WriteAllText(corpusFile, string.Concat(Enumerable.Repeat(Text, 40)));
        var checkpoint = Path.Combine(dir, "run.safetensors");
        var options = new TrainOptions
        {
            Arch = RecurrentArch.RnnRelu, NumLayers = 3, HiddenSize = 16, EmbeddingDim = 8, BatchSize = 4, SeqLen = 20, LearningRate = 1e-9f,
            Steps = 1, Minutes = null, EvalInterval = 1, WarmupSteps = 0, CheckpointPath = checkpoint,
        };
        var pretrained = ModelCheckpoint.Load(Save(OverflowingModel()));
        var first = TrainingSession.FineTune(pretrained, TextGen.Text.Corpus.FromFile(corpusFile), options).Trainer.Run();
        Assert.True(double.IsPositiveInfinity(first.BestPerplexity!.Value), $"best validation loss {first.BestValidationLoss}");

        var r = CliRunner.Run(dir, "train", "--corpus", corpusFile, "--resume", checkpoint, "--out", checkpoint, "--arch", "rnn_relu", "--layers", "3",
            "--hidden", "16", "--embedding-dim", "8", "--batch", "4", "--seq-len", "20", "--lr", "1e-9", "--steps", "2", "--eval-interval", "1", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var j = StrictJson(r.Stdout.Trim().Split('\n')[^1]);
        Assert.Equal(2, j.GetProperty("steps").GetInt32());
        Assert.True(j.GetProperty("val_loss").GetDouble() > LargestFiniteExponent);
        Assert.True(double.IsFinite(j.GetProperty("val_bpc").GetDouble()));
        Assert.Equal(JsonValueKind.Null, j.GetProperty("val_ppl").ValueKind);
        Assert.Equal("Infinity", j.GetProperty("val_ppl" + JsonFigures.NonFiniteSuffix).GetString());
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "Infinity", "∞")]
    [InlineData(double.NegativeInfinity, "-Infinity", "-∞")]
    [InlineData(double.NaN, "NaN", "NaN")]
    public void Every_non_finite_value_becomes_null_with_its_name_in_json_and_a_symbol_in_text(double value, string flag, string symbol)
    {
        var line = new JsonFigures().Add("x", value).Add("f", (float)value).Add("n", (double?)null).Add("ok", 1.5).Add("count", 3L).ToString();
        var j = StrictJson(line);
        Assert.Equal(JsonValueKind.Null, j.GetProperty("x").ValueKind);
        Assert.Equal(flag, j.GetProperty("x_nonfinite").GetString());
        Assert.Equal(flag, j.GetProperty("f_nonfinite").GetString());
        Assert.Equal(JsonValueKind.Null, j.GetProperty("n").ValueKind);
        Assert.False(j.TryGetProperty("n_nonfinite", out _), "a figure that was not measured is null without a flag");
        Assert.Equal(1.5, j.GetProperty("ok").GetDouble());
        Assert.Equal(3, j.GetProperty("count").GetInt64());
        Assert.Equal(symbol, FigureText.Format(value, "F3"));
    }

    [Fact]
    public void A_float_figure_keeps_floats_shortest_digits()
    {
        float loss = 1.234f;
        Assert.Contains("\"loss\":1.234", new JsonFigures().Add("loss", loss).ToString());
        Assert.Equal("9.283e+6", FigureText.Format(9_283_127));
    }
}
