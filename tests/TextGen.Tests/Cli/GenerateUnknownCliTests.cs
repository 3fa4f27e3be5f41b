// textgen generate with a word model that ranks <unk> first: no <unk> unless --allow-unknown, and --next lists the
// most likely next words with <unk> masked and the listing saying so; training prints its parameter count.
using Xunit;

namespace TextGen.Tests.Cli;

public class GenerateUnknownCliTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("textgen-cli-unk-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void A_word_model_writes_unk_only_with_allow_unknown_and_next_lists_words_without_it()
    {
        // "the" is always followed by a word seen once, so with --min-count 2 the model learns that <unk> follows "the"
        var corpus = Path.Combine(dir, "names.txt");
        File.WriteAllText(corpus, string.Concat(Enumerable.Range(0, 600).Select(i => $"the {(char)('a' + i % 26)}{(char)('a' + i / 26 % 26)}x{i}. ")));
        var train = CliRunner.Run(dir, "train", "--corpus", corpus, "--tokenizer", "word", "--min-count", "2", "--hidden", "16", "--embedding-dim", "8",
            "--batch", "8", "--seq-len", "12", "--steps", "80", "--lr", "0.02", "--eval-interval", "40", "--seed", "2", "--out", "w.safetensors");
        Assert.True(train.ExitCode == 0, train.Stderr);
        // the first line counts the parameters: embedding 3x8, LSTM 4x16x(8+16) + 2x4x16, decoder 16x3 + 3
        Assert.StartsWith($"Training a lstm 1x16 ({3 * 8 + 4 * 16 * (8 + 16) + 2 * 4 * 16 + 16 * 3 + 3:N0} parameters) on names.txt", train.Stdout);

        var open = CliRunner.Run(dir, "generate", "--model", "w.safetensors", "--prompt", "the", "--length", "12", "--strategy", "greedy", "--allow-unknown", "--next", "2");
        Assert.True(open.ExitCode == 0, open.Stderr);
        var openLines = open.Stdout.Split('\n');
        Assert.Equal("most likely next tokens after \"the\":", openLines[0]);
        Assert.StartsWith("<unk>", openLines[1].Trim());   // what the model itself ranks first
        Assert.Contains("the <unk>", open.Stdout);

        var masked = CliRunner.Run(dir, "generate", "--model", "w.safetensors", "--prompt", "the", "--length", "12", "--strategy", "greedy", "--next", "2");
        Assert.True(masked.ExitCode == 0, masked.Stderr);
        var maskedLines = masked.Stdout.Split('\n');   // the vocabulary is <unk>, "the" and "."
        Assert.Equal(new[] { ".", "the" }, maskedLines[1..3].Select(l => l.Trim().Split(' ')[0]).Order(StringComparer.Ordinal).ToArray());
        Assert.StartsWith("(<unk> is masked as in generation (the model gave it", maskedLines[3].Trim());
        Assert.Contains("renormalised", maskedLines[3]);
        string text = maskedLines[5];
        Assert.StartsWith("the", text);
        Assert.DoesNotContain("<unk>", text);
        foreach (var strategy in new[] { "sample", "beam" })
        {
            var r = CliRunner.Run(dir, "generate", "--model", "w.safetensors", "--prompt", "the", "--length", "30", "--strategy", strategy, "--temperature", "1.5");
            Assert.True(r.ExitCode == 0, r.Stderr);
            Assert.DoesNotContain("<unk>", r.Stdout);
        }
    }
}
