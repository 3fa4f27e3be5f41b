// The check functions of lessons 9-11 on their own: each stays open without an answer, passes the reference
// answer, and fails each common mistake with feedback; the parameter count is checked against the model itself.
using TextGen.Nn;
using TextGen.Course;
using Xunit;

namespace TextGen.Tests.Quiz;

public class LateLessonExerciseTests
{
    private static void Fails(QuizResult result)
    {
        Assert.Equal(QuizStatus.Wrong, result.Status);
        Assert.NotEmpty(result.Feedback);
    }

    [Fact]
    public void Parameters_of_the_embedding_and_output_layers_are_read_from_the_model()
    {
        var model = new CharRnnModel(new CharRnnConfig(VocabularySize: 50, EmbeddingDim: 8, HiddenSize: 16));
        var weights = model.StateDict();
        long counted = weights["embedding.weight"].Numel + weights["decoder.weight"].Numel + weights["decoder.bias"].Numel;
        Assert.Equal(QuizStatus.Unanswered, Exercise.InputOutputParameters("9.params", null, model).Status);
        Assert.Equal(QuizStatus.Correct, Exercise.InputOutputParameters("9.params", 50 * 8 + 50 * 16 + 50, model).Status);
        Assert.Equal(50 * 8 + 50 * 16 + 50, counted);
        Fails(Exercise.InputOutputParameters("9.params", 50 * 8 + 50 * 16, model));
        Fails(Exercise.InputOutputParameters("9.params", 50 * 8, model));
    }

    [Fact]
    public void Bits_per_character_pass_the_conversion_and_fail_bits_per_token()
    {
        Assert.Equal(QuizStatus.Unanswered, Exercise.BitsPerCharacter("9.bpc", null).Status);
        Assert.Equal(QuizStatus.Correct, Exercise.BitsPerCharacter("9.bpc", (l, t, c) => l * t / Math.Log(2) / c).Status);
        Fails(Exercise.BitsPerCharacter("9.bpc", (l, t, c) => l / Math.Log(2)));
        Fails(Exercise.BitsPerCharacter("9.bpc", (l, t, c) => l * t / c));
        Fails(Exercise.BitsPerCharacter("9.bpc", (l, t, c) => throw new InvalidOperationException("no")));
    }

    [Fact]
    public void Characters_only_in_one_text_and_the_untrained_loss()
    {
        Assert.Equal(QuizStatus.Correct, Exercise.OnlyIn("10.new", "zq", "abz q", "ab c").Status);
        Fails(Exercise.OnlyIn("10.new", "c", "abz q", "ab c"));
        Fails(Exercise.OnlyIn("10.new", "abzq", "abz q", "ab c"));
        Assert.Equal(QuizStatus.Unanswered, Exercise.UntrainedLoss("10.lnv", null, 79).Status);
        Assert.Equal(QuizStatus.Correct, Exercise.UntrainedLoss("10.lnv", Math.Log(79), 79).Status);
        Fails(Exercise.UntrainedLoss("10.lnv", Math.Log2(79), 79));
        Fails(Exercise.UntrainedLoss("10.lnv", 1.0 / 79, 79));
    }

    [Fact]
    public void Unit_gap_and_bigram_pass_the_reference_and_fail_the_common_mistakes()
    {
        Assert.Equal(QuizStatus.Correct, Exercise.UnitGap("11.gap", (v, n) => v.Where((x, i) => n[i]).Average() - v.Where((x, i) => !n[i]).Average()).Status);
        Fails(Exercise.UnitGap("11.gap", (v, n) => v.Where((x, i) => n[i]).Sum() - v.Where((x, i) => !n[i]).Sum()));
        Fails(Exercise.UnitGap("11.gap", (v, n) => v.Where((x, i) => !n[i]).Average() - v.Where((x, i) => n[i]).Average()));
        static double Reference(string t, char a, char b) =>
            Enumerable.Range(0, t.Length - 1).Count(i => t[i] == a && t[i + 1] == b) / (double)Enumerable.Range(0, t.Length - 1).Count(i => t[i] == a);
        Assert.Equal(QuizStatus.Correct, Exercise.Bigram("11.bigram", Reference).Status);
        Fails(Exercise.Bigram("11.bigram", (t, a, b) => Enumerable.Range(0, t.Length - 1).Count(i => t[i] == a && t[i + 1] == b) / (double)t.Length));
        Fails(Exercise.Bigram("11.bigram", (t, a, b) => Enumerable.Range(0, t.Length - 1).Count(i => t[i] == a && t[i + 1] == b) / (double)t.Count(c => c == a)));
    }

    /// <summary>The closed form the 11.mask check expects: row i is the softmax over positions 0..i, 0 after.</summary>
    internal static float[][] CausalSoftmax(float[][] scores, bool mask = true) => scores.Select((row, i) =>
    {
        var e = row.Select((x, j) => mask && j > i ? 0.0 : Math.Exp(x)).ToArray();
        return e.Select(x => (float)(x / e.Sum())).ToArray();
    }).ToArray();

    [Fact]
    public void The_masked_softmax_passes_the_closed_form_and_fails_no_mask_and_a_mask_after_it()
    {
        Assert.Equal(QuizStatus.Unanswered, Exercise.MaskedSoftmax("11.mask", null).Status);
        Assert.Equal(QuizStatus.Correct, Exercise.MaskedSoftmax("11.mask", s => CausalSoftmax(s)).Status);
        var noMask = Exercise.MaskedSoftmax("11.mask", s => CausalSoftmax(s, mask: false));
        Fails(noMask);
        Assert.Contains("mask is missing", string.Join(" ", noMask.Feedback));
        var maskAfter = Exercise.MaskedSoftmax("11.mask", s => CausalSoftmax(s, mask: false)
            .Select((row, i) => row.Select((w, j) => j > i ? 0f : w).ToArray()).ToArray());
        Fails(maskAfter);
        Assert.Contains("add up to 1", string.Join(" ", maskAfter.Feedback));
    }
}
