// Checkpoints from elsewhere: the PyTorch-written fixture with one tensor missing, one extra, misnamed, of a wrong
// shape, or every name under a wrapper's prefix. Each is refused, naming the tensor with the expected and found shapes.
using TextGen.Tensors;
using TextGen.Training;
using Xunit;

namespace TextGen.Tests.Reliability;

public class ForeignCheckpointTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("textgen-foreign-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static readonly string Fixture = Path.Combine(Fixtures.Dir("checkpoint"), "tiny_lstm.safetensors");

    private static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Read() => SafeTensors.Read(Fixture);

    // Writes the edited state dict with the fixture's metadata and returns the loader's refusal.
    private CheckpointException Refusal(Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata)
    {
        var path = Path.Combine(dir, $"edited-{Guid.NewGuid():N}.safetensors");
        SafeTensors.Write(path, tensors, metadata);
        var ex = Assert.Throws<CheckpointException>(() => ModelCheckpoint.Load(path));
        Assert.DoesNotContain('\n', ex.Message);
        return ex;
    }

    private static string Shape(Tensor t) => ShapeUtil.Format(t.ShapeArray);

    [Fact]
    public void The_unedited_pytorch_file_loads_so_each_refusal_below_is_the_edits_doing()
    {
        var (tensors, _) = Read();
        var loaded = ModelCheckpoint.Load(Fixture);
        Assert.Equal(tensors.Keys.Order(), loaded.Model.StateDict().Keys.Order());
    }

    [Fact]
    public void A_missing_tensor_is_named_with_the_shape_it_should_have()
    {
        var (tensors, meta) = Read();
        var bias = tensors["decoder.bias"];
        tensors.Remove("decoder.bias");
        var ex = Refusal(tensors, meta);
        Assert.Contains($"tensor 'decoder.bias' is missing (expected shape {Shape(bias)}, found none)", ex.Message);
    }

    [Fact]
    public void An_extra_tensor_is_named_with_its_shape()
    {
        var (tensors, meta) = Read();
        var second = Tensor.Zeros(tensors["rnn.weight_hh_l0"].ShapeArray); // a second layer the metadata does not declare
        tensors["rnn.weight_ih_l1"] = second;
        var ex = Refusal(tensors, meta);
        Assert.Contains($"tensor 'rnn.weight_ih_l1' {Shape(second)} is extra", ex.Message);
        Assert.Contains("1 layer(s)", ex.Message);
    }

    [Fact]
    public void A_misnamed_tensor_is_named_with_the_name_and_shape_the_model_expects()
    {
        var (tensors, meta) = Read();
        var w = tensors["rnn.weight_ih_l0"];
        tensors.Remove("rnn.weight_ih_l0");
        tensors["lstm.weight_ih_l0"] = w;
        var ex = Refusal(tensors, meta);
        Assert.Contains($"tensor 'lstm.weight_ih_l0' {Shape(w)} is misnamed", ex.Message);
        Assert.Contains($"names it 'rnn.weight_ih_l0' (expected {Shape(w)})", ex.Message);
        Assert.DoesNotContain("is missing", ex.Message);
    }

    [Fact]
    public void A_module_named_its_own_way_pairs_every_tensor_with_the_one_it_stands_for()
    {
        // A PyTorch CharRNN written with self.lstm and self.fc instead of self.rnn and self.decoder.
        var (tensors, meta) = Read();
        var renamed = tensors.ToDictionary(kv => kv.Key.Replace("rnn.", "lstm.").Replace("decoder.", "fc."), kv => kv.Value);
        var ex = Refusal(renamed, meta);
        foreach (var name in tensors.Keys.Where(n => n.StartsWith("rnn.") || n.StartsWith("decoder.")))
            Assert.Contains($"names it '{name}'", ex.Message);
        // The two biases share a shape; the names tell them apart.
        foreach (var bias in new[] { "bias_ih_l0", "bias_hh_l0" })
        {
            var sentence = ex.Message.Split("; ").Single(p => p.Contains($"tensor 'lstm.{bias}' "));
            Assert.EndsWith($"names it 'rnn.{bias}' (expected {Shape(tensors["rnn." + bias])})", sentence);
        }
    }

    [Fact]
    public void A_wrong_shape_is_named_with_the_expected_and_found_shapes()
    {
        var (tensors, meta) = Read();
        var expected = tensors["embedding.weight"].ShapeArray;
        var wrong = Tensor.Zeros(expected[0], expected[1] + 1);
        tensors["embedding.weight"] = wrong;
        var ex = Refusal(tensors, meta);
        Assert.Contains($"tensor 'embedding.weight' has shape {Shape(wrong)} but", ex.Message);
        Assert.Contains($"needs {ShapeUtil.Format(expected)}", ex.Message);
        Assert.DoesNotContain("transposed", ex.Message);
    }

    [Fact]
    public void A_transposed_weight_is_pointed_out()
    {
        var (tensors, meta) = Read();
        var expected = tensors["decoder.weight"].ShapeArray;
        tensors["decoder.weight"] = Tensor.Zeros(expected[1], expected[0]); // Keras-style (in, out) layout
        var ex = Refusal(tensors, meta);
        Assert.Contains($"needs {ShapeUtil.Format(expected)} (transposed?)", ex.Message);
    }

    [Fact]
    public void A_wrapper_prefix_on_every_name_is_named_with_the_fix()
    {
        var (tensors, meta) = Read();
        var wrapped = tensors.ToDictionary(kv => "module." + kv.Key, kv => kv.Value);
        var ex = Refusal(wrapped, meta);
        Assert.Contains("prefix 'module.'", ex.Message);
        Assert.Contains("strip the prefix", ex.Message);
    }
}
