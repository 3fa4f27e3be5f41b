// The flat parameter buffer's layout and the allocator's size classes, which need no GPU.
using TextGen.Cuda;
using Xunit;
using TextGen.Nn;

namespace TextGen.Tests.Cuda;

public class FlatParameterLayoutTests
{
    // A weight space laid out like cuDNN's for a 1-layer RNN of hidden 2, input 3: gate matrices, then biases, reversed order
    // on purpose so that the test fails if Pack assumes PyTorch's order.
    private static readonly CharRnnConfig Config = new(Arch: RecurrentArch.Rnn, VocabularySize: 4, EmbeddingDim: 3, HiddenSize: 2);
    private static readonly WeightRegion[] Regions =
    [
        new("rnn.weight_ih_l0", 0, 10, 6),
        new("rnn.bias_ih_l0", 0, 16, 2),
        new("rnn.weight_hh_l0", 0, 0, 4),
        new("rnn.bias_hh_l0", 0, 4, 2),
    ];

    [Fact]
    public void Pack_places_each_parameter_at_its_region_and_unpack_restores_every_value()
    {
        var layout = new FlatParameterLayout(Config, 18, Regions);
        layout.CheckCoverage();
        var parameters = CharRnnModel.InitialParameters(Config, seed: 4);

        var flat = layout.Pack(parameters);
        var back = layout.Unpack(flat);

        Assert.Equal(parameters["rnn.weight_ih_l0"], flat[10..16]);
        Assert.Equal(parameters["rnn.bias_hh_l0"], flat[4..6]);
        Assert.Equal(parameters["embedding.weight"], flat[64..76]);   // after the weight space, 256-byte aligned
        foreach (var (name, values) in parameters) Assert.Equal(values, back[name]);
        Assert.Equal(0, layout.Count % 64);
    }

    [Fact]
    public void Coverage_check_rejects_a_layout_that_misses_part_of_a_parameter()
    {
        var layout = new FlatParameterLayout(Config, 18, Regions[..3]);

        var e = Assert.Throws<InvalidOperationException>(layout.CheckCoverage);
        Assert.Contains("rnn.bias_hh_l0", e.Message);
    }

    [Theory]
    [InlineData(1, 512)]
    [InlineData(513, 1024)]
    [InlineData(1 << 20, 1 << 20)]
    [InlineData((1 << 20) + 1, 2 << 20)]
    [InlineData(100_000_000, 100_663_296)]   // 2^27 / 8 = 16 MiB steps
    public void Allocation_sizes_round_up_to_shared_size_classes(long request, long expected)
    {
        long rounded = DeviceAllocator.RoundSize(request);
        Assert.Equal(expected, rounded);
        Assert.True(rounded >= request);
    }
}
