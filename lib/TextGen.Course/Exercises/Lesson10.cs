// Checks of lesson 10's check cells: the characters one corpus has that the other lacks (what a shared vocabulary
// must add), and the loss of an untrained model over V tokens (ln V). Expected values are computed here, never in the cell.
namespace TextGen.Course;

public static partial class Exercise
{
    /// <summary>
    /// Lesson 10, "10.new": passes when <paramref name="answer"/> holds exactly the distinct characters that occur in
    /// <paramref name="text"/> and never in <paramref name="other"/> (in any order).
    /// </summary>
    public static QuizResult OnlyIn(string id, string? answer, string text, string other)
    {
        const string what = "characters of Austen that Shakespeare never uses";
        if (answer is null)
            return CheckResult.Open(id, what, "Write an expression that gives those characters as a string in place of null and run the cell again.");
        var inText = text.ToHashSet();
        var inOther = other.ToHashSet();
        var expected = inText.Where(c => !inOther.Contains(c)).ToHashSet();
        var got = answer.ToHashSet();
        if (got.SetEquals(expected))
            return CheckResult.Pass(id, what, $"{expected.Count} characters: the pre-trained model has never seen them, as input or as a target.");
        if (got.SetEquals(inOther.Where(c => !inText.Contains(c))))
            return CheckResult.Fail(id, what, "That is the other way round: those are Shakespeare's characters that Austen never uses. Keep the characters of Austen's text that Shakespeare's text does not contain.");
        if (got.IsSupersetOf(expected))
            return CheckResult.Fail(id, what, $"All the right characters are there, with {got.Count - expected.Count} more that Shakespeare also uses: drop every character that occurs in shakespeare.Text.");
        if (got.IsSubsetOf(expected))
            return CheckResult.Fail(id, what, $"{expected.Count - got.Count} are missing: look at every character of the shared vocabulary (or of austen.Text), not a few.");
        return CheckResult.Fail(id, what, "Keep a character when austen.Text contains it and shakespeare.Text does not (for example with Where and Contains on both.Vocabulary.Tokens).");
    }

    /// <summary>
    /// Lesson 10, "10.lnv": passes when <paramref name="loss"/> is the cross-entropy in nats of a model that gives every one
    /// of <paramref name="vocabularySize"/> tokens the same probability, ln V (to 0.01 nats).
    /// </summary>
    public static QuizResult UntrainedLoss(string id, double? loss, int vocabularySize)
    {
        const string what = "the loss of an untrained model";
        if (loss is null)
            return CheckResult.Open(id, what, "Write the expected loss (a number or an expression of both.VocabularySize) in place of null and run the cell again.");
        double v = vocabularySize, expected = Math.Log(v), got = loss.Value;
        if (Math.Abs(got - expected) <= 0.01)
            return CheckResult.Pass(id, what, $"ln {vocabularySize} = {expected:F3} nats: each character gets probability 1/{vocabularySize}, and the loss is -ln of the probability of the right one.");
        if (Math.Abs(got - Math.Log2(v)) <= 0.01)
            return CheckResult.Fail(id, what, $"{got:F3} is in bits (log base 2); the training loss is in nats, the natural logarithm.");
        if (Math.Abs(got - 1 / v) <= 1e-4)
            return CheckResult.Fail(id, what, $"{got:G3} is the probability of one character, not the loss: the loss is -ln of that probability.");
        if (Math.Abs(got - v) <= 0.5)
            return CheckResult.Fail(id, what, "That is the vocabulary size itself: the loss is a logarithm of it.");
        return CheckResult.Fail(id, what, $"{got:G4} is not it. An untrained model spreads its probability evenly over the {vocabularySize} characters: what is -ln of the probability it gives the right one?");
    }
}
