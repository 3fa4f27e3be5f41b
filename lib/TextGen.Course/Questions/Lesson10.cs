// The questions of lesson 10 (fine-tuning), in the course's quiz style: a level, choices, the answer,
// a hint that points the way, the mistake behind each wrong choice, and a worked solution.
namespace TextGen.Course;

public static partial class QuestionBank
{
    private static IEnumerable<Question> Lesson10() =>
    [
        Q("10.1", Level.Medium, "A character model trained on Shakespeare alone is to be fine-tuned on Austen. What has to change before it can read her text?",
            ["The sequence length, which must match the length of Austen's sentences", "The batch size, which is stored in the weights", "Nothing: any model can read any text", "Its vocabulary: each of Austen's characters needs an id of its own"], 4,
            "Follow one of Austen's characters that Shakespeare never uses into the model: where does reading it first go wrong?",
            [(1, "Sequence length is a training setting: it can change freely between runs."),
             (2, "The batch size is not part of the weights; it can change between runs."),
             (3, "A character without an id can be neither read nor predicted; the lesson's check lists the ones Shakespeare lacks.")],
            "The embedding and output layers have one row per token id.", "So the vocabulary is built from both texts before pre-training."),
        Q("10.2", Level.Medium, "In the lesson's table the fine-tuned model's 'before' loss on Austen is far below the scratch model's, which is near ln V. What does that show?",
            ["What it learnt from Shakespeare already predicts much of Austen", "It was evaluated on its own training text", "Austen's text is easier than Shakespeare's for every model", "Pre-training gave it more parameters, and a larger model starts lower"], 1,
            "Neither model has taken a step on Austen yet: what differs between them?",
            [(2, "The 'before' numbers are on Austen's validation text, which neither model has trained on."),
             (3, "The scratch model reads the same text and is near ln V: the text alone does not make the loss low."),
             (4, "Both models have the same architecture and vocabulary, so the same number of parameters.")],
            "Only the starting weights differ: random for one, Shakespeare's for the other.",
            "Spelling, punctuation and common words are shared by the two authors, so the pre-trained weights already predict Austen far better than chance.") with { AboutOutput = true },
        Q("10.3", Level.Hard, "Myth check: a trained RNN memorises its training sentences and replays them.",
            ["True: the weights store the sentences", "False: it learns what tends to follow what; long exact copies are rare unless it overfits a small text", "True for word models, false for character models", "True at temperature 1, false at lower temperatures"], 2,
            "Compare the lesson's generated text with the book: how long are the runs you can find in it?",
            [(1, "The weights hold far fewer numbers than the training text has characters; they store a distribution."),
             (3, "Word models also learn distributions; they copy more only when they overfit."),
             (4, "Lower temperature makes the text more repetitive and likely, not a replay of training sentences.")],
            "The model stores a distribution over next tokens, not a list of sentences.", "Overfitting (validation loss rising) is when copying grows."),
    ];
}
