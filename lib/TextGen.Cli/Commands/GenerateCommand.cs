// textgen generate: load a checkpoint, run the prompt through once, stream the continuation.
using System.CommandLine;
using TextGen.Generation;
using TextGen.Nn;
using TextGen.Text;
using TextGen.Training;

namespace TextGen.Cli.Commands;

internal static class GenerateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "checkpoint (.safetensors)", DefaultValueFactory = _ => "runs/model.safetensors" };
        var prompt = new Option<string>("--prompt") { Description = "text to continue", DefaultValueFactory = _ => "" };
        var length = new Option<int>("--length") { Description = "tokens to generate", DefaultValueFactory = _ => 500 };
        var strategy = new EnumFlag<DecodingStrategy>("--strategy", DecodingStrategy.Sample);
        var temperature = new Option<float>("--temperature") { Description = "below 1 sharpens, above 1 flattens", DefaultValueFactory = _ => 0.8f };
        var topK = new Option<int>("--top-k") { Description = "keep the k most likely tokens (0 = off)", DefaultValueFactory = _ => 0 };
        var topP = new Option<float>("--top-p") { Description = "keep the smallest set reaching this probability (1 = off)", DefaultValueFactory = _ => 1f };
        var penalty = new Option<float>("--repetition-penalty") { Description = "penalise tokens already generated (1 = off)", DefaultValueFactory = _ => 1f };
        var beam = new Option<int>("--beam-width") { Description = "beams for --strategy beam", DefaultValueFactory = _ => 4 };
        var seed = new Option<ulong>("--seed") { Description = "seed of the draws", DefaultValueFactory = _ => 1337 };
        var unknown = new EnumFlag<UnknownTokenPolicy>("--unknown", UnknownTokenPolicy.Error, "what to do with prompt characters the model does not know");
        var allowUnknown = new Option<bool>("--allow-unknown") { Description = "let a word model write <unk> (masked by default; --unknown is about the prompt)" };
        var next = new Option<int>("--next") { Description = "first list the N most likely next tokens after the prompt, with their probabilities (0 = off)", DefaultValueFactory = _ => 0 };
        var device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };
        var engine = EngineChoice.Option();
        var cmd = new Command("generate", "Continue a prompt with a trained model") { model, prompt, length, strategy.Option, temperature, topK, topP, penalty, beam, seed, unknown.Option, allowUnknown, next, device, engine.Option };
        cmd.SetAction(r =>
        {
            var options = new SamplingOptions
            {
                Strategy = strategy.Read(r),
                Temperature = r.GetValue(temperature), TopK = r.GetValue(topK), TopP = r.GetValue(topP), RepetitionPenalty = r.GetValue(penalty),
                BeamWidth = r.GetValue(beam), Seed = r.GetValue(seed), AllowUnknown = r.GetValue(allowUnknown),
            };
            var policy = unknown.Read(r);
            if (r.GetValue(length) < 0) throw new ArgumentException("--length must be 0 or more");
            if (r.GetValue(next) < 0) throw new ArgumentException("--next must be 0 (off) or a number of tokens to list");
            var loaded = ModelCheckpoint.Load(r.GetValue(model)!);
            using var computing = EngineChoice.Create(r, engine, device, loaded.Model);
            var stepModel = computing.CreateStepModel();
            if (r.GetValue(next) > 0) WriteNext(loaded, stepModel, r.GetValue(prompt)!, r.GetValue(next), options.AllowUnknown);
            Write(loaded, stepModel, r.GetValue(prompt)!, r.GetValue(length), options, policy);
            return 0;
        });
        return cmd;
    }

    /// <summary>Prints the prompt and streams its continuation; shared with the main job.</summary>
    public static void Write(string checkpoint, string prompt, int length, SamplingOptions options, UnknownTokenPolicy policy)
    {
        var loaded = ModelCheckpoint.Load(checkpoint);
        Write(loaded, new StepSession(loaded.Model), prompt, length, options, policy);
    }

    /// <summary>The most likely next tokens after the prompt, one per line with its probability (at temperature 1), and what was masked.</summary>
    private static void WriteNext(LoadedModel loaded, IStepModel stepModel, string prompt, int count, bool allowUnknown)
    {
        var next = NextTokenDistribution.After(stepModel, loaded.CreateTokenizer(), prompt, allowUnknown);
        Console.WriteLine($"most likely next tokens after \"{prompt}\":");
        foreach (var t in next.Top(count)) Console.WriteLine($"  {t.Label,-16} {t.Probability,7:P1}");
        if (next.Note.Length > 0) Console.WriteLine($"  ({next.Note})");
        Console.WriteLine();
    }

    /// <summary>The same with the step model of the engine chosen by --engine and --device.</summary>
    private static void Write(LoadedModel loaded, IStepModel stepModel, string prompt, int length, SamplingOptions options, UnknownTokenPolicy policy)
    {
        options.Validate();
        var tokenizer = loaded.CreateTokenizer();
        var pieces = TextGenerator.Generate(stepModel, tokenizer, prompt, length, options, policy);
        using var e = pieces.GetEnumerator();
        bool any = e.MoveNext(); // validates the prompt before anything is printed
        Console.Write(prompt);
        while (any)
        {
            Console.Write(e.Current);
            any = e.MoveNext();
        }
        Console.WriteLine();
    }
}
