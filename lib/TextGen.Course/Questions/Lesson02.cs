// The questions of lesson 2 (text as sequences), in the course's quiz style: a level, choices, the answer,
// a hint that points the way, the mistake behind each wrong choice, and a worked solution.
namespace TextGen.Course;

public static partial class QuestionBank
{
    private static IEnumerable<Question> Lesson02() =>
    [
        Q("2.1", Level.Easy, "In the character vocabulary printed at the top of this lesson, which id does 'z' have?",
            ["25", "65", "122", "64"], 4,
            "An id is a position in that printed list; what is the first position called?",
            [(1, "25 is z's place in the alphabet counted from 0, but the list also holds the newline, the space, punctuation and capitals before it."),
             (2, "65 is the vocabulary size; positions start at 0, so the last one is one less."),
             (3, "122 is z's character code (ASCII); the vocabulary numbers only the characters that occur in the text.")],
            "The vocabulary is the sorted list of distinct characters, and a character's id is its position in it, from 0.",
            "'z' comes last in the list of 65, so its id is 64.") with { AboutOutput = true },
        Q("2.2", Level.Medium, "The same batch of 32 windows of 100 characters trains two models over 65 characters: one predicts the character after each window, the other the next character at every position. With ids as targets, what target shapes do they take, and how many targets does each learn from per step?",
            ["(32, 100) for both, so 3,200 targets per step each", "(32, 65) and (32, 100, 65): one row of scores per target", "(32) and (32, 100): 32 and 3,200 targets per step", "(32) and (32, 99): the last position has no next token"], 3,
            "For each model, count the predictions it makes for one window, then how many numbers one id target needs.",
            [(1, "A model that answers once per window makes one prediction per window; the loss refuses 3,200 targets against (32, 65) logits."),
             (2, "Those are the logits' shapes, a score per vocabulary entry; an id target is one number per prediction."),
             (4, "Each window is cut with one token more than it reads, so even its last position has a next token: 100 targets per window.")],
            "One target per window (many-to-one) gives 32 predictions; one per position (many-to-many) gives 32 × 100.",
            "Ids need one number per prediction: (32) and (32, 100). Both read all 3,200 characters per step, so the second learns from 100 times as many targets for about the same work."),
        Q("2.3", Level.Medium, "Why is the validation text one contiguous part at the end of the corpus, rather than windows drawn at random?",
            ["So no passage is in both parts, and its loss measures unseen text", "Because reading a file from its end is faster than reading random windows", "Because the end of a play is harder to predict than its beginning is", "Because random windows would leave too few tokens to measure a loss on"], 1,
            "Random windows overlap their neighbours.",
            [(2, "Both parts are in memory; the order of reading does not matter."),
             (3, "Difficulty is not the point: the validation part must hold text the model never trained on."),
             (4, "Random windows could hold as many tokens; the problem is that they would share text with the training windows.")],
            "Overlapping windows drawn from the whole text would put the same passages in both parts.",
            "A contiguous split keeps whole passages unseen, so the validation loss estimates how the model does on new text."),
        Q("2.4", Level.Hard, "A word model reads batches of 64 sequences of 50 tokens over a vocabulary of 10,000 words. How many numbers do one batch's one-hot targets hold?",
            ["3,200", "32,000,000", "640,000", "10,000"], 2,
            "Work out the shape of the one-hot targets first, then multiply its sizes.",
            [(1, "That is the number of sparse targets, one id per position; one-hot adds a vocabulary-sized vector to each."),
             (3, "That is 64 × 10,000: the 50 positions of each sequence each have their own target."),
             (4, "That is one one-hot vector; there is one per position of the batch.")],
            "One-hot targets have shape (64, 50, 10,000).", "64 × 50 × 10,000 = 32,000,000 numbers, against 3,200 sparse ids for the same information."),
        Q("2.5", Level.Medium, "A Keras model reads batches of word ids of shape (64, 50) with Embedding(input_dim=10000, output_dim=128), then LSTM(256, return_sequences=False). What shapes come out of the embedding and of the LSTM?",
            ["(64, 50, 10,000) and (64, 50, 256)", "(64, 128) and (64, 256)", "(64, 50, 128) and (64, 50, 256)", "(64, 50, 128) and (64, 256)"], 4,
            "Ask which of the two Embedding sizes counts the vocabulary and which the numbers per id, then what the LSTM keeps of its outputs when it does not return sequences.",
            [(1, "input_dim is the vocabulary, the table's rows; each id comes out as one row of output_dim numbers. And the LSTM's return_sequences=False drops the time axis."),
             (2, "The embedding keeps the time axis: each of the 50 ids becomes its own vector; only the LSTM, returning no sequences, keeps one vector per window."),
             (3, "That is return_sequences=True, one output per position; with False the LSTM gives its output after the last position only.")],
            "Embedding(input_dim=10,000, output_dim=128) is a (10,000, 128) table: each of the 64 × 50 ids becomes 128 numbers, (64, 50, 128). PyTorch calls the two sizes num_embeddings and embedding_dim.",
            "return_sequences=False keeps the output after the last position: (64, 256), one vector per window for a many-to-one head (PyTorch's output[:, -1])."),
    ];
}
