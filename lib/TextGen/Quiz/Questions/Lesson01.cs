// The questions of lesson 1 (setup), in the course's quiz style: a level, choices, the answer,
// a hint that points the way, the mistake behind each wrong choice, and a worked solution.
namespace TextGen.Quiz;

public static partial class QuestionBank
{
    private static IEnumerable<Question> Lesson01() =>
    [
        Q("1.1", Level.Easy, "What is a recurrent network used for in text generation?",
            ["Classifying a whole text at once", "Predicting the next token from the tokens so far", "Translating characters into ids", "Compressing the corpus"], 2,
            "Generation appends one token at a time.",
            [(1, "That is many-to-one use; generation needs a prediction after every token."), (3, "That is the tokenizer's job, before the network.")],
            "The model learns P(next token | previous tokens) from the corpus.", "Generation samples from that distribution, appends the token and repeats."),
        Q("1.2", Level.Easy, "Why does the course check every corpus file against a SHA-256 checksum?",
            ["To make downloads faster", "So everyone trains on exactly the same bytes, and a damaged download is caught", "To compress the file", "Because the library cannot read text otherwise"], 2,
            "Think about what changes if one byte differs.",
            [(1, "A checksum costs time; it buys certainty, not speed.")],
            "Losses and samples are only comparable on identical data.", "A truncated or altered file has a different hash and is refused, never silently used."),
        Q("1.3", Level.Medium, "y = sum of (w_i x_i)^2 with x = (1, 2, 3). What is dy/dw_2 when w_2 = -1?",
            ["-4", "-8", "8", "4"], 2,
            "Differentiate (w x)^2 with respect to w.",
            [(3, "Check the sign: w_2 is negative."), (1, "The derivative is 2 w x^2, not 2 w x.")],
            "d/dw (w x)^2 = 2 w x^2.", "2 * (-1) * 2^2 = -8."),
    ];
}
