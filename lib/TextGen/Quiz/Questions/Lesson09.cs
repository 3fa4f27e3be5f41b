// The questions of lesson 9 (word-level generation), in the course's quiz style: a level, choices, the answer,
// a hint that points the way, the mistake behind each wrong choice, and a worked solution.
namespace TextGen.Quiz;

public static partial class QuestionBank
{
    private static IEnumerable<Question> Lesson09() =>
    [
        Q("9.1", Level.Easy, "Why map rare words to <unk>?",
            ["To hide them", "They are too rare to learn, and each would add a row to the embedding and the output layer", "Because tokenizers cannot read them", "To speed up the softmax only"], 2,
            "What does each vocabulary entry cost?",
            [(3, "They could be tokenized; the question is whether they are worth a row.")],
            "Every token costs an embedding row and an output row.", "Words seen once or twice cannot be learned well anyway."),
        Q("9.2", Level.Medium, "A word model's loss is 5 nats per word; a character model's 1.4 nats per character. Which is better?",
            ["The character model: 1.4 < 5", "Cannot tell without converting to the same unit, e.g. bits per character", "The word model", "They are equal"], 2,
            "Per word versus per character.",
            [(1, "A word is several characters: per-token losses are not comparable.")],
            "Convert: total bits / total characters.", "Only then do the two numbers measure the same thing."),
        Q("9.3", Level.Medium, "Given 'Mr. Darcy was quite', the model gives arrogant 0.4, handsome 0.3, reserved 0.1. What does sampling at temperature 1 do?",
            ["Always picks arrogant", "Picks arrogant 40% of the time, handsome 30%, reserved 10%, something else 20%", "Picks the three equally", "Picks reserved"], 2,
            "Sampling follows the distribution.",
            [(1, "That is greedy decoding.")],
            "Draw from the distribution; append the word; repeat."),
    ];
}
