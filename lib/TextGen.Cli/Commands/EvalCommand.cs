// textgen eval: mean cross-entropy of a checkpoint on a text, read as one stream from a zero state; figures that
// overflow (a perplexity above e^709) print as ∞ and, with --json, as null with a flag.
using System.CommandLine;
using System.Globalization;
using TextGen.Text;
using TextGen.Training;

namespace TextGen.Cli.Commands;

internal static class EvalCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "checkpoint (.safetensors)", Required = true };
        var corpus = new Option<string?>("--corpus") { Description = "catalog name or file" };
        var textFile = new Option<string?>("--text-file") { Description = "a text file" };
        var json = new Option<bool>("--json") { Description = "print loss, bpc, ppl and tokens as JSON" };
        var engine = EngineChoice.Option();
        var device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };
        var cmd = new Command("eval", "Loss of a model on a text (nats per token, bits per token, perplexity)") { model, corpus, textFile, json, engine.Option, device };
        cmd.SetAction(r =>
        {
            var source = r.GetValue(textFile) ?? r.GetValue(corpus) ?? throw new ArgumentException("eval: give --corpus NAME|PATH or --text-file PATH");
            var text = r.GetValue(textFile) is { } f ? Corpus.FromFile(f) : Corpus.Load(source);
            var loaded = ModelCheckpoint.Load(r.GetValue(model)!);
            var tokenizer = loaded.CreateTokenizer();
            var ids = tokenizer.EncodeToIds(text.Text);
            // Any engine evaluates any checkpoint: the weights are the same file under PyTorch's names.
            using var computing = EngineChoice.Create(r, engine, device, loaded.Model);
            var (loss, tokens) = Evaluator.StreamLoss(computing, ids);
            double bpc = loss / Math.Log(2), ppl = Math.Exp(loss);
            if (r.GetValue(json)) Console.WriteLine(new JsonFigures().Add("loss", loss).Add("bpc", bpc).Add("ppl", ppl).Add("tokens", tokens));
            else Console.WriteLine($"{text.Name}: loss {FigureText.Format(loss, "F4")} nats/{tokenizer.Kind.ToName()}, {FigureText.Format(bpc, "F4")} bits/{tokenizer.Kind.ToName()}, " +
                $"perplexity {FigureText.Format(ppl, "F2")}{(double.IsPositiveInfinity(ppl) && double.IsFinite(loss) ? " (e^loss overflows a double)" : "")} over {tokens.ToString("N0", CultureInfo.InvariantCulture)} predicted {tokenizer.Kind.ToName()}s");
            return 0;
        });
        return cmd;
    }
}
