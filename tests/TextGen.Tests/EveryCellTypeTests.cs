// Every RecurrentArch is known wherever a cell type matters, so a member added to the enum cannot fall through to another
// cell: TextGen's model builds it with PyTorch's shapes and state, TorchSharp's model builds the same layer (the same
// logits from the same weights), the CUDA engine maps it to its own cuDNN mode (no GPU needed), the checkpoint header
// writes and reads its name, and the CLI trains it.
using TextGen.Cuda;
using TextGen.Nn;
using TextGen.Tensors;
using TextGen.Tests.Cli;
using TextGen.Text;
using TextGen.TorchSharp;
using TextGen.Training;
using Xunit;

namespace TextGen.Tests;

public class EveryCellTypeTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("textgen-cells-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    public static TheoryData<RecurrentArch> Cells() => new(Enum.GetValues<RecurrentArch>());

    private static CharRnnConfig Small(RecurrentArch arch) => new(7, arch, EmbeddingDim: 3, HiddenSize: 5, NumLayers: 2);

    private static readonly int[] Tokens = [1, 2, 3, 4, 5, 6];

    [Theory]
    [MemberData(nameof(Cells))]
    public void TextGens_model_builds_the_cell_with_pytorchs_shapes_and_its_own_state(RecurrentArch arch)
    {
        var config = Small(arch);
        var model = new CharRnnModel(config, seed: 1);
        Assert.Equal(config.ParameterShapes().Select(p => $"{p.Name} [{string.Join(", ", p.Shape)}]"),
            model.NamedParameters().Select(p => $"{p.Name} [{string.Join(", ", p.Parameter.ShapeArray)}]"));
        var (_, state) = model.Forward(Tokens, 2, 3);
        Assert.Equal(config.HasCellState, state.C is not null);
    }

    [Fact]
    public void The_two_elman_cells_compute_differently_from_the_same_weights()
    {
        // Same gates and shapes: only the nonlinearity tells tanh from relu, so a switch that sent one to the other would pass the shape test.
        var tanh = new CharRnnModel(Small(RecurrentArch.Rnn), seed: 2);
        var relu = new CharRnnModel(Small(RecurrentArch.RnnRelu), seed: 2);
        relu.LoadStateDict(tanh.StateDict());
        Assert.NotEqual(tanh.Forward(Tokens, 2, 3).Logits.Data, relu.Forward(Tokens, 2, 3).Logits.Data);
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void TorchSharps_model_builds_the_same_cell(RecurrentArch arch)
    {
        TorchSharpRuntime.EnsureLoaded();
        var model = new CharRnnModel(Small(arch), seed: 3);
        using var torchModel = new TorchCharModel(model.Config);
        torchModel.LoadFrom(model.StateDict());
        var theirs = TorchCharModel.ToTextGen(torchModel.Forward(TorchCharModel.Tokens(Tokens, 2, 3)).Logits);
        GradCheck.AssertClose(model.Forward(Tokens, 2, 3).Logits.Data, theirs.Data, rel: 1e-5, abs: 1e-6, what: $"{arch} logits");
    }

    [Fact]
    public void The_cuda_engine_maps_every_cell_to_its_cudnn_mode()
    {
        // cudnnRNNMode_t, as cuDNN's header numbers it.
        var expected = new Dictionary<RecurrentArch, int> { [RecurrentArch.RnnRelu] = 0, [RecurrentArch.Rnn] = 1, [RecurrentArch.Lstm] = 2, [RecurrentArch.Gru] = 3 };
        Assert.Equal(Enum.GetValues<RecurrentArch>().Order(), expected.Keys.Order());
        foreach (var arch in Enum.GetValues<RecurrentArch>()) Assert.Equal(expected[arch], CudnnRnnDescriptor.CellMode(arch));
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void A_checkpoint_header_names_the_cell_and_reads_it_back(RecurrentArch arch)
    {
        var model = new CharRnnModel(Small(arch), seed: 4);
        var path = Path.Combine(dir, $"{arch}.safetensors");
        ModelCheckpoint.Save(path, model, TokenizerKind.Char, ["a", "b", "c", "d", "e", "f", "g"]);
        Assert.Equal(arch.ToName(), SafeTensors.Read(path).Metadata["arch"]);
        var loaded = ModelCheckpoint.Load(path);
        Assert.Equal(model.Config, loaded.Model.Config);
        Assert.Equal(model.StateDict()["decoder.weight"].Data, loaded.Model.StateDict()["decoder.weight"].Data);
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void The_cli_trains_every_cell_by_its_name(RecurrentArch arch)
    {
        File.WriteAllText(Path.Combine(dir, "corpus.txt"), string.Concat(Enumerable.Repeat("the cat sat on the mat.\n", 40)));
        var r = CliRunner.Run(dir, "train", "--corpus", "corpus.txt", "--arch", arch.ToName(), "--hidden", "8", "--embedding-dim", "4",
            "--batch", "2", "--seq-len", "8", "--steps", "1", "--eval-interval", "1", "--out", "m.safetensors", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(arch, ModelCheckpoint.Load(Path.Combine(dir, "m.safetensors")).Model.Config.Arch);
    }
}
