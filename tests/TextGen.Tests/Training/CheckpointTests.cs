// Checkpoints: round trip, a PyTorch-written file, and rejection of damaged or mismatched files.
using System.Text;
using TextGen.Nn;
using TextGen.Tensors;
using TextGen.Training;
using TextGen.Text;
using Xunit;

namespace TextGen.Tests.Training;

public class CheckpointTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("textgen-ckpt-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static readonly string[] Vocab = ["\n", " ", "a", "b", "c"];

    private string SaveSmall(string name = "m.safetensors")
    {
        var path = Path.Combine(dir, name);
        ModelCheckpoint.Save(path, new CharRnnModel(new CharRnnConfig(5, RecurrentArch.Gru, 3, 4, 2), seed: 9), TokenizerKind.Char, Vocab);
        return path;
    }

    [Fact]
    public void Saved_model_loads_with_identical_weights_config_and_vocabulary()
    {
        var model = new CharRnnModel(new CharRnnConfig(5, RecurrentArch.Gru, 3, 4, 2), seed: 9);
        var path = SaveSmall();
        var loaded = ModelCheckpoint.Load(path);
        Assert.Equal(model.Config, loaded.Model.Config);
        Assert.Equal(Vocab, loaded.Vocabulary);
        Assert.Equal(TokenizerKind.Char, loaded.TokenizerKind);
        foreach (var (name, p) in model.NamedParameters()) Assert.Equal(p.Data, loaded.Model.StateDict()[name].Data);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
    }

    [Fact]
    public void Pytorch_written_checkpoint_loads_and_gives_pytorchs_loss()
    {
        var fixture = Fixtures.Load("checkpoint", "tiny_lstm");
        var loaded = ModelCheckpoint.Load(Path.Combine(Fixtures.Dir("checkpoint"), "tiny_lstm.safetensors"));
        var text = fixture.GetProperty("text").GetString()!;
        var ids = text.Select(ch => loaded.Vocabulary.ToList().IndexOf(ch.ToString())).ToArray();
        var (loss, tokens) = Evaluator.StreamLoss(loaded.Model, ids, chunkLength: 37);
        Assert.Equal(fixture.GetProperty("tokens").GetInt64(), tokens);
        Assert.Equal(fixture.GetProperty("loss").GetDouble(), loss, 1e-5 * fixture.GetProperty("loss").GetDouble());
    }

    [Fact]
    public void Truncated_file_is_rejected_with_a_clear_message()
    {
        var path = SaveSmall();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 10)]);
        var ex = Assert.Throws<CheckpointException>(() => ModelCheckpoint.Load(path));
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void Non_safetensors_file_is_rejected()
    {
        var path = Path.Combine(dir, "notes.safetensors");
        File.WriteAllText(path, "this is a text file, not a checkpoint at all");
        Assert.Throws<CheckpointException>(() => ModelCheckpoint.Load(path));
    }

    [Fact]
    public void Shape_that_disagrees_with_the_metadata_is_rejected_before_building_the_model()
    {
        var path = Path.Combine(dir, "bad.safetensors");
        var meta = new Dictionary<string, string>
        {
            ["format"] = "textgen/1", ["arch"] = "lstm", ["tokenizer"] = "char", ["vocab"] = "[\"a\",\"b\"]",
            ["embedding_dim"] = "3", ["hidden_size"] = "4", ["num_layers"] = "1", ["dropout"] = "0",
        };
        var model = new CharRnnModel(new CharRnnConfig(2, RecurrentArch.Gru, 3, 4, 1)); // a GRU's weights under LSTM metadata
        SafeTensors.Write(path, model.NamedParameters().Select(p => KeyValuePair.Create(p.Name, p.Parameter)), meta);
        var ex = Assert.Throws<CheckpointException>(() => ModelCheckpoint.Load(path));
        Assert.Contains("rnn.weight_ih_l0", ex.Message);
        Assert.Contains("(12, 3)", ex.Message);
    }

    [Theory]
    [InlineData("rnn_tanh", "word", RecurrentArch.Rnn, TokenizerKind.Word, null)]
    [InlineData("GRU", "Char", RecurrentArch.Gru, TokenizerKind.Char, null)]
    [InlineData("gru", "bpe", RecurrentArch.Gru, TokenizerKind.Char, "unknown tokenizer 'bpe': use char or word")]
    [InlineData("mamba", "char", RecurrentArch.Gru, TokenizerKind.Char, "unknown architecture 'mamba': use rnn, rnn_relu, lstm or gru")]
    public void A_header_in_another_spelling_loads_and_a_wrong_one_is_named(string arch, string tokenizer, RecurrentArch cell, TokenizerKind kind, string? error)
    {
        // PyTorch's rnn_tanh and other cases are spellings files of older versions or other tools may hold.
        var path = Path.Combine(dir, "spelled.safetensors");
        var model = new CharRnnModel(new CharRnnConfig(2, cell, 3, 4, 1));
        SafeTensors.Write(path, model.NamedParameters().Select(p => KeyValuePair.Create(p.Name, p.Parameter)), new Dictionary<string, string>
        {
            ["format"] = "textgen/1", ["arch"] = arch, ["tokenizer"] = tokenizer, ["vocab"] = "[\"a\",\"b\"]",
            ["embedding_dim"] = "3", ["hidden_size"] = "4", ["num_layers"] = "1", ["dropout"] = "0",
        });
        if (error is not null)
        {
            Assert.Contains(error, Assert.Throws<CheckpointException>(() => ModelCheckpoint.Load(path)).Message);
            return;
        }
        var loaded = ModelCheckpoint.Load(path);
        Assert.Equal(cell, loaded.Model.Config.Arch);
        Assert.Equal(kind, loaded.TokenizerKind);
        Assert.Equal(kind, loaded.CreateTokenizer().Kind);
    }

    [Fact]
    public void Huge_declared_header_length_is_rejected_without_allocating_it()
    {
        var path = Path.Combine(dir, "huge.safetensors");
        var bytes = new byte[64];
        BitConverter.GetBytes(ulong.MaxValue / 2).CopyTo(bytes, 0);
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<CheckpointException>(() => SafeTensors.Read(path));
        Assert.Contains("header length", ex.Message);
    }

    [Fact]
    public void Overlapping_offsets_and_wrong_dtype_are_rejected()
    {
        static byte[] File_(string header, int dataBytes)
        {
            var h = Encoding.UTF8.GetBytes(header);
            var b = new byte[8 + h.Length + dataBytes];
            BitConverter.GetBytes((ulong)h.Length).CopyTo(b, 0);
            h.CopyTo(b, 8);
            return b;
        }
        var p1 = Path.Combine(dir, "overlap.safetensors");
        File.WriteAllBytes(p1, File_("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12));
        Assert.Contains("overlapping", Assert.Throws<CheckpointException>(() => SafeTensors.Read(p1)).Message);
        var p2 = Path.Combine(dir, "f16.safetensors");
        File.WriteAllBytes(p2, File_("{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4));
        Assert.Contains("F16", Assert.Throws<CheckpointException>(() => SafeTensors.Read(p2)).Message);
    }
}
