// The batch-1 generation path against the full forward pass of the same model.
using TextGen.Nn;
using TextGen.Tensors;
using Xunit;
using TextGen.Tensors.Kernels;

namespace TextGen.Tests.Nn;

[Collection("Blas threads")] // changes Blas.MaxThreads
public class StepSessionTests
{
    [Theory]
    [InlineData(RecurrentArch.Lstm, 5, 2)]
    [InlineData(RecurrentArch.Gru, 0, 3)]
    [InlineData(RecurrentArch.Rnn, 4, 1)]
    [InlineData(RecurrentArch.RnnRelu, 4, 2)]
    public void Token_by_token_logits_equal_the_full_forward_pass(RecurrentArch arch, int embedding, int layers)
    {
        var model = new CharRnnModel(new CharRnnConfig(7, arch, embedding, 6, layers), seed: 21);
        model.Eval();
        int[] tokens = [3, 1, 4, 1, 5, 6, 2, 0];
        var (logits, _) = model.Forward(tokens, 1, tokens.Length);
        var session = new StepSession(model);
        var state = session.CreateState();
        var step = new float[7];
        session.Feed(state, tokens.AsSpan(0, 3), step); // a prompt first, then one token at a time
        GradCheck.AssertClose(logits.Data.AsSpan(2 * 7, 7), step, what: "after prompt");
        for (int t = 3; t < tokens.Length; t++)
        {
            session.Feed(state, tokens.AsSpan(t, 1), step);
            GradCheck.AssertClose(logits.Data.AsSpan(t * 7, 7), step, rel: 1e-5, abs: 1e-5, what: $"step {t}");
        }
        Assert.Equal(tokens.Length, state.Position);
        var clone = state.Clone();
        session.Feed(clone, [2], step);
        Assert.Equal(tokens.Length, state.Position); // the clone is independent
    }

    [Theory]
    [InlineData(RecurrentArch.Lstm, 136, 2)] // 136 units: each core's share ends in a part-filled block
    [InlineData(RecurrentArch.Gru, 160, 1)]
    [InlineData(RecurrentArch.Rnn, 256, 2)]
    public void A_layer_split_between_two_cores_gives_the_bits_of_one_core_and_the_forward_pass(RecurrentArch arch, int hidden, int layers)
    {
        var model = new CharRnnModel(new CharRnnConfig(11, arch, 8, hidden, layers), seed: 5);
        model.Eval();
        int[] tokens = [3, 1, 4, 1, 5, 9, 2, 6, 10, 0];
        var (logits, _) = model.Forward(tokens, 1, tokens.Length);
        float[] Run(int threads)
        {
            int saved = Blas.MaxThreads;
            Blas.MaxThreads = threads;
            try
            {
                var session = new StepSession(model);
                var state = session.CreateState();
                var all = new float[tokens.Length * 11];
                for (int t = 0; t < tokens.Length; t++) session.Feed(state, tokens.AsSpan(t, 1), all.AsSpan(t * 11, 11));
                return all;
            }
            finally { Blas.MaxThreads = saved; }
        }
        var two = Run(2);
        Assert.Equal(Run(1), two);
        GradCheck.AssertClose(logits.Data, two, rel: 1e-5, abs: 1e-5, what: "token by token on two cores");
    }

    [Fact]
    public void A_state_made_for_another_model_is_refused_with_the_fix()
    {
        var small = new StepSession(new CharRnnModel(new CharRnnConfig(7, RecurrentArch.Lstm, 4, 6, 1), seed: 1));
        var other = new StepSession(new CharRnnModel(new CharRnnConfig(7, RecurrentArch.Lstm, 4, 8, 1), seed: 1));
        var e = Assert.Throws<ArgumentException>(() => small.Feed(other.CreateState(), [1], new float[7]));
        Assert.Contains("CreateState", e.Message);
    }
}
