// The batch-1 generation path against the full forward pass of the same model.
using TextGen.Nn;
using Xunit;

namespace TextGen.Tests.Nn;

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
}
