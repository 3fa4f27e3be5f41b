// The questions of lesson 2 (text as sequences), in the course's quiz style: a level, choices, the answer,
// a hint that points the way, the mistake behind each wrong choice, and a worked solution.
namespace TextGen.Quiz;

public static partial class QuestionBank
{
    private static IEnumerable<Question> Lesson02() =>
    [
        Q("2.1", Level.Easy, "A batch of 32 sequences of 100 token ids has which shape?",
            ["(100, 32)", "(32, 100)", "(32, 100, 65)", "(3200)"], 2,
            "Batch first, then time.",
            [(3, "That is the one-hot (or embedded) shape, after the input layer."), (1, "The library's default is batch-first.")],
            "One row per sequence, one column per position: (batch, sequence) = (32, 100)."),
        Q("2.2", Level.Medium, "Why does a next-token model have one target id per input position?",
            ["Because the loss needs a scalar", "Each position predicts the token that follows it, so a window of T tokens gives T predictions", "Because targets are one-hot", "It only has one target per sequence"], 2,
            "Shift the input by one.",
            [(4, "That would waste T-1 predictions per window; the shape mismatch (batch) vs (batch, T) shows up in the loss."), (3, "Targets are integer ids here (sparse), not one-hot vectors.")],
            "Targets are the inputs shifted by one position.", "Logits (batch, T, V) are compared with targets (batch, T): one id per position."),
        Q("2.3", Level.Medium, "Why keep the validation text contiguous, at the end of the corpus?",
            ["It is faster to read", "So training and validation do not share passages, and validation measures generalisation", "Because the end of a text is harder", "It does not matter"], 2,
            "Random windows overlap their neighbours.",
            [(4, "Overlapping windows in both sets would let the model be tested on text it trained on.")],
            "A contiguous split keeps whole passages unseen.", "The validation loss then estimates performance on new text."),
    ];
}
