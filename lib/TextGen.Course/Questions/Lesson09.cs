// The questions of lesson 9 (word-level generation), in the course's quiz style: a level, choices, the answer,
// a hint that points the way, the mistake behind each wrong choice, and a worked solution.
namespace TextGen.Course;

public static partial class QuestionBank
{
    private static IEnumerable<Question> Lesson09() =>
    [
        Q("9.1", Level.Easy, "A word vocabulary keeps the words seen at least 3 times and maps the rest to <unk>. What does raising the cut-off to 10 change?",
            ["Nothing the model can notice: <unk> is ignored by the loss", "The model gets better at spelling rare words", "A smaller vocabulary and output layer, but more of the text becomes <unk>", "Only the training speed, because the embedding table stays frozen and only the recurrent layer learns"], 3,
            "Follow one word seen 5 times: where does it go, and what does its row cost?",
            [(1, "<unk> is an ordinary token: the model is trained to predict it and pays loss on it like any word."),
             (2, "A word model never spells: a word is one id, or <unk>."),
             (4, "The embedding is trained like every other layer; the cut-off changes how many rows it has.")],
            "Each kept word costs a row in the embedding and in the output layer.",
            "A higher cut-off drops more words: fewer rows, but more tokens of the text turn into <unk>."),
        Q("9.2", Level.Medium, "A word model's loss is 5.0 nats per token over 20,000 tokens that cover 100,000 characters. What is it in bits per character?",
            ["About 1.44: 5.0 x 20,000 / 100,000 / ln 2", "About 7.2: 5.0 / ln 2", "About 0.69: 5.0 x 20,000 / 100,000 x ln 2", "About 1.0: 5.0 x 20,000 / 100,000"], 1,
            "Total loss first, then the unit, then per character.",
            [(2, "That is bits per token: each token covers five characters here."),
             (3, "Nats become bits by dividing by ln 2 (one bit is 0.69 nats), not multiplying."),
             (4, "That is nats per character: the unit is not converted yet.")],
            "Total: 5.0 x 20,000 = 100,000 nats, that is 144,270 bits.", "Over 100,000 characters: 1.44 bits per character."),
        Q("9.3", Level.Hard, "Suppose the lesson's word model kept every word (no <unk>) and kept the capitals. What would you expect its bits per character to do?",
            ["Fall, because a larger vocabulary gives the model more words to choose from and so always fits the text better", "Stay the same: bits per character do not depend on how the text is cut into tokens", "Rise: it would pay for every capital and for picking each rare word, which <unk> now lumps together", "It could no longer be converted to bits per character"], 3,
            "List what lower case and <unk> let the word model skip predicting.",
            [(1, "More choices spread the probability thinner: each rare word gets a small probability, and its loss is large."),
             (2, "The unit is the same, but the task is not: tokenization decides what has to be predicted."),
             (4, "The conversion only needs the total loss and the number of characters, which any tokenization has.")],
            "Today the word model never predicts a capital, and one <unk> stands for any of thousands of rare words.",
            "Predicting the capitals and the rare words themselves adds loss, so its bits per character would rise."),
        Q("9.4", Level.Medium, "Suppose the ten bars of the lesson's chart after \"mr. darcy was quite\" add up to 0.3. Where is the rest of the probability?",
            ["Spread over the thousands of other tokens, each too unlikely to earn a bar of its own", "On <unk>: masking moves the probability the model gave it onto the unknown token", "Nowhere yet: the model is undertrained, and a trained model's ten best words sum to 1", "On the line break, which the chart leaves out because a line break is not a word"], 1,
            "Count how many tokens the softmax gives a probability to, and what all of them add up to.",
            [(2, "The mask sets <unk> to 0 and shares its probability out over the other tokens: it holds none."),
             (3, "A good model still leaves many words possible after \"quite\": the text itself varies there."),
             (4, "The chart shows the ten most likely tokens whatever they are; a line break would get its bar.")],
            "The softmax gives every token of the vocabulary some probability, and all of them sum to 1.",
            "Ten bars summing to 0.3 leave 0.7 spread over the other few thousand tokens, none of them above the tenth bar.") with { AboutOutput = true },
        Q("9.5", Level.Hard, "Trained on the hard-wrapped file instead, the same word model reaches a lower validation loss per token, yet its samples read worse. How can both be true?",
            ["A lower loss always means better text; the worse samples must be bad luck of the seed", "The loss skips line breaks, so the two losses cover different tokens", "The wrapped file holds more words, so the model saw less of each one per step", "The mean now also counts thousands of line breaks that cost less than an average word"], 4,
            "A loss per token is a mean: ask which tokens the wrapped file adds to it, and what each of them costs.",
            [(1, "A mean over different tokens is not the same measure: the two losses average different things."),
             (2, "A line break is a token like any other: the model predicts it and pays loss on it."),
             (3, "Joining paragraphs keeps every word; only line breaks are removed, so the words are the same.")],
            "The wrapped file adds one line break about every twelve words, each predicted with some loss.",
            "If a line break costs less than a word on average, adding many of them lowers the mean per token without any word being predicted better."),
    ];
}
