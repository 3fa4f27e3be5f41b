// TrainOptions' typed settings (cell, tokenizer, optimizer, schedule, engine, device) on disk: resume files keep the
// strings they always held, so a file written while the settings were strings loads now, and a wrong value is named on load.
using TextGen.Nn;
using TextGen.Optim;
using TextGen.Tensors;
using TextGen.Text;
using TextGen.Training;
using Xunit;

namespace TextGen.Tests.Training;

public class TypedOptionsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("textgen-typed-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string TrainedResumeFile(TrainOptions options)
    {
        var data = TrainerTests.Stream(1500);
        TrainerFactory.Create(options with { CheckpointPath = Path.Combine(dir, "m.safetensors") }, data[..1300], data[1300..], TrainerTests.Vocab()).Run();
        return ResumeState.PathFor(Path.Combine(dir, "m.safetensors"));
    }

    private static TrainOptions Small => new()
    {
        Arch = RecurrentArch.Gru, Optimizer = OptimizerKind.AdamW, EmbeddingDim = 4, HiddenSize = 8, BatchSize = 2, SeqLen = 8,
        Steps = 3, Minutes = null, EvalInterval = 1, WarmupSteps = 0, Patience = 0, Seed = 2,
    };

    [Fact]
    public void Resume_files_keep_the_string_values_of_the_typed_settings()
    {
        var meta = SafeTensors.Read(TrainedResumeFile(Small)).Metadata;

        Assert.Equal("gru", meta["arch"]);
        Assert.Contains("\"Arch\":\"gru\"", meta["options"]);
        Assert.Contains("\"Optimizer\":\"adamw\"", meta["options"]);
        Assert.Contains("\"Device\":\"cpu\"", meta["options"]);
        Assert.Contains("\"Tokenizer\":\"char\"", meta["options"]);
        Assert.Contains("\"Schedule\":\"cosine\"", meta["options"]);
        Assert.Contains("\"Engine\":\"textgen\"", meta["options"]);
        Assert.Equal("char", meta["tokenizer"]);
    }

    [Fact]
    public void A_resume_file_written_when_the_settings_were_strings_loads_with_them_typed()
    {
        var path = TrainedResumeFile(Small);
        var (tensors, meta) = SafeTensors.Read(path);
        // The options as the string-typed TrainOptions serialised them (2026-12-01), with the alias rnn_tanh the CLI also took.
        meta["options"] = """
            {"Arch":"gru","Tokenizer":"char","LowerCase":false,"MinCount":2,"EmbeddingDim":4,"HiddenSize":8,"NumLayers":1,"Dropout":0,
            "SeqLen":8,"BatchSize":2,"Stateful":true,"Optimizer":"adamw","LearningRate":0.003,"WeightDecay":0,"Momentum":0.9,
            "Schedule":"cosine","WarmupSteps":0,"Clip":1,"Steps":3,"Epochs":null,"Minutes":null,"EvalInterval":1,"EvalTokens":50000,
            "Patience":0,"TrainFraction":0.9,"Seed":2,"Device":"cpu","CheckpointPath":null}
            """;
        SafeTensors.Write(path, tensors, meta);

        var saved = ResumeState.Load(path);

        Assert.Equal(RecurrentArch.Gru, saved.Options.Arch);
        Assert.Equal(OptimizerKind.AdamW, saved.Options.Optimizer);
        Assert.Equal(TokenizerKind.Char, saved.Options.Tokenizer);
        Assert.Equal(ScheduleKind.Cosine, saved.Options.Schedule);
        Assert.Equal(Device.Cpu, saved.Options.Device);
        Assert.Equal(Small with { CheckpointPath = null }, saved.Options);
        var data = TrainerTests.Stream(1500);
        Assert.Equal(4, TrainerFactory.Resume(saved, data[..1300], data[1300..], saved.Options with { Steps = 4 }).Run().Steps);
    }

    private string ResumeFileWith(string from, string to)
    {
        var path = TrainedResumeFile(Small);
        var (tensors, meta) = SafeTensors.Read(path);
        Assert.Contains(from, meta["options"]);
        meta["options"] = meta["options"].Replace(from, to);
        SafeTensors.Write(path, tensors, meta);
        return path;
    }

    [Theory]
    [InlineData("\"Arch\":\"gru\"", "\"Arch\":\"rnn_tanh\"", "Rnn AdamW cpu Char Cosine TextGen")]
    [InlineData("\"Arch\":\"gru\"", "\"Arch\":\"RNN_RELU\"", "RnnRelu AdamW cpu Char Cosine TextGen")]
    [InlineData("\"Arch\":\"gru\"", "\"Arch\":\"lstm\"", "Lstm AdamW cpu Char Cosine TextGen")]
    [InlineData("\"Optimizer\":\"adamw\"", "\"Optimizer\":\"SGD\"", "Gru Sgd cpu Char Cosine TextGen")]
    [InlineData("\"Optimizer\":\"adamw\"", "\"Optimizer\":\"adam\"", "Gru Adam cpu Char Cosine TextGen")]
    [InlineData("\"Device\":\"cpu\"", "\"Device\":\"cuda\"", "Gru AdamW cuda:0 Char Cosine TextGen")]
    [InlineData("\"Device\":\"cpu\"", "\"Device\":\"gpu\"", "Gru AdamW cuda:0 Char Cosine TextGen")]
    [InlineData("\"Device\":\"cpu\"", "\"Device\":\"cuda:1\"", "Gru AdamW cuda:1 Char Cosine TextGen")]
    [InlineData("\"Tokenizer\":\"char\"", "\"Tokenizer\":\"word\"", "Gru AdamW cpu Word Cosine TextGen")]
    [InlineData("\"Schedule\":\"cosine\"", "\"Schedule\":\"constant\"", "Gru AdamW cpu Char Constant TextGen")]
    [InlineData("\"Engine\":\"textgen\"", "\"Engine\":\"torchsharp\"", "Gru AdamW cpu Char Cosine TorchSharp")]
    public void Every_spelling_the_strings_took_loads_as_the_typed_value_it_names(string from, string to, string typed)
    {
        var options = ResumeState.Load(ResumeFileWith(from, to)).Options;
        Assert.Equal(typed, $"{options.Arch} {options.Optimizer} {options.Device} {options.Tokenizer} {options.Schedule} {options.Engine}");
        var same = Small with
        {
            Arch = options.Arch, Optimizer = options.Optimizer, Device = options.Device,
            Tokenizer = options.Tokenizer, Schedule = options.Schedule, Engine = options.Engine,
        };
        Assert.Equal(same, options with { CheckpointPath = null });   // nothing else moved
    }

    [Theory]
    [InlineData("\"Tokenizer\":\"char\"", "\"Tokenizer\":\"bpe\"", "unknown tokenizer 'bpe': use char or word")]
    [InlineData("\"Schedule\":\"cosine\"", "\"Schedule\":\"linear\"", "unknown schedule 'linear': use constant or cosine")]
    [InlineData("\"Arch\":\"gru\"", "\"Arch\":\"transformer\"", "unknown architecture 'transformer': use rnn, rnn_relu, lstm or gru")]
    [InlineData("\"Optimizer\":\"adamw\"", "\"Optimizer\":\"lion\"", "unknown optimizer 'lion': use adam, adamw or sgd")]
    public void A_wrong_spelling_is_named_on_load(string from, string to, string error) =>
        Assert.Contains(error, Assert.Throws<CheckpointException>(() => ResumeState.Load(ResumeFileWith(from, to))).Message);
}
