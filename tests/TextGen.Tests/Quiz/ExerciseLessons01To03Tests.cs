// The checks behind lessons 1-3's check cells: each stays open without an answer, passes the right answer
// (computed independently here) and fails the usual mistakes with feedback that names them.
using TextGen.Nn;
using TextGen.Course;
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests.Quiz;

public class ExerciseLessons01To03Tests
{
    private static void AssertWrong(QuizResult r, string feedbackPart)
    {
        Assert.Equal(QuizStatus.Wrong, r.Status);
        Assert.Contains(r.Feedback, f => f.Contains(feedbackPart, StringComparison.Ordinal));
    }

    [Fact]
    public void Transpose_checks_the_shape_then_the_order_of_the_numbers()
    {
        var m = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        Assert.Equal(QuizStatus.Unanswered, Exercise.Transpose("1.transpose", null, m).Status);
        Assert.Equal(QuizStatus.Correct, Exercise.Transpose("1.transpose", Tensor.FromArray([1f, 4f, 2f, 5f, 3f, 6f], 3, 2), m).Status);
        AssertWrong(Exercise.Transpose("1.transpose", Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 3, 2), m), "row by row");
        AssertWrong(Exercise.Transpose("1.transpose", m, m), "swaps");
        AssertWrong(Exercise.Transpose("1.transpose", Tensor.FromArray([1f, 4f, 2f, 5f, 3f, 7f], 3, 2), m), "mT[2, 1]");
    }

    [Fact]
    public void Hand_gradient_passes_2_w_x_squared_and_names_the_usual_slips()
    {
        float[] w = [1f, -2f, 0.5f], x = [3f, 1f, -2f];
        Assert.Equal(QuizStatus.Unanswered, Exercise.HandGradient("1.grad", null, w, x).Status);
        Assert.Equal(QuizStatus.Correct, Exercise.HandGradient("1.grad", [18f, -4f, 4f], w, x).Status);   // 2 w x² by hand
        AssertWrong(Exercise.HandGradient("1.grad", [6f, -4f, -2f], w, x), "2 w x");
        AssertWrong(Exercise.HandGradient("1.grad", [-18f, 4f, -4f], w, x), "sign");
        AssertWrong(Exercise.HandGradient("1.grad", [18f, -4f], w, x), "one number per weight");
        AssertWrong(Exercise.HandGradient("1.grad", [18f, -4f, 5f], w, x), "index 2");
    }

    [Fact]
    public void Validation_count_is_what_the_floored_split_leaves()
    {
        var ids = new int[1_115_394];
        int expected = 1_115_394 - (int)Math.Floor(0.9 * 1_115_394);   // 111,540
        Assert.Equal(QuizStatus.Unanswered, Exercise.ValidationCount("2.split", null, ids).Status);
        Assert.Equal(QuizStatus.Correct, Exercise.ValidationCount("2.split", expected, ids).Status);
        AssertWrong(Exercise.ValidationCount("2.split", expected - 1, ids), "One token off");
        AssertWrong(Exercise.ValidationCount("2.split", 1_115_394 - expected, ids), "training part");
        AssertWrong(Exercise.ValidationCount("2.split", 5, ids), "rounded down");
    }

    [Fact]
    public void Next_token_targets_are_the_windows_shifted_by_one()
    {
        int[] stream = Enumerable.Range(100, 30).ToArray();
        int[] starts = [0, 10];
        int[] right = [.. Enumerable.Range(101, 8), .. Enumerable.Range(111, 8)];
        Assert.Equal(QuizStatus.Unanswered, Exercise.NextTokenTargets("2.targets", null, stream, starts, 8).Status);
        Assert.Equal(QuizStatus.Correct, Exercise.NextTokenTargets("2.targets", right, stream, starts, 8).Status);
        AssertWrong(Exercise.NextTokenTargets("2.targets", [.. Enumerable.Range(100, 8), .. Enumerable.Range(110, 8)], stream, starts, 8), "inputs themselves");
        AssertWrong(Exercise.NextTokenTargets("2.targets", [108, 118], stream, starts, 8), "One target per window");
        AssertWrong(Exercise.NextTokenTargets("2.targets", [.. Enumerable.Range(101, 8), .. Enumerable.Range(112, 8)], stream, starts, 8), "Row 1");
        AssertWrong(Exercise.NextTokenTargets("2.targets", Enumerable.Range(101, 15).ToArray(), stream, starts, 8), "holds 16");
    }

    [Fact]
    public void Embedding_layer_check_tells_swapped_sizes_apart()
    {
        Assert.Equal(QuizStatus.Unanswered, Exercise.EmbeddingLayer("3.layer", null).Status);
        Assert.Equal(QuizStatus.Correct, Exercise.EmbeddingLayer("3.layer", new Embedding(65, 16)).Status);
        AssertWrong(Exercise.EmbeddingLayer("3.layer", new Embedding(16, 65)), "swapped");
        AssertWrong(Exercise.EmbeddingLayer("3.layer", new Embedding(65, 32)), "(65, 32)");
    }

    [Fact]
    public void One_hot_product_cost_counts_vocabulary_products_for_every_output_number()
    {
        long right = 64L * 50 * 10_000 * 128;   // 4,096,000,000
        QuizResult Cost(long? v) => Exercise.OneHotProductCost("3.cost", v, 64, 50, 10_000, 128);
        Assert.Equal(QuizStatus.Unanswered, Cost(null).Status);
        Assert.Equal(QuizStatus.Correct, Cost(right).Status);
        int wrapped = unchecked(64 * 50 * 10_000 * 128);
        AssertWrong(Cost(wrapped), "int.MaxValue");
        AssertWrong(Cost(64L * 50 * 10_000), "one-hot entries");
        AssertWrong(Cost(64L * 50 * 128), "lookup");
        AssertWrong(Cost(2 * right), "floating-point operations");
        AssertWrong(Cost(12345), "output numbers");
    }
}
