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
            "Look at the lesson's copy measurement: how long is the run it found, next to the one for unseen text?",
            [(1, "The weights hold far fewer numbers than the training text has characters; they store a distribution."),
             (3, "Word models also learn distributions; they copy more only when they overfit."),
             (4, "Lower temperature makes the text more repetitive and likely, not a replay of training sentences.")],
            "The model stores a distribution over next tokens, not a list of sentences.", "Overfitting (validation loss rising) is when copying grows.") with { AboutOutput = true },
        Q("10.4", Level.Medium, "A model writes 5,000 characters; the longest run of them found verbatim in its 600,000-character training text is 31 characters. 5,000 characters of held-out text by the same author give 28. What does this show?",
            ["The model memorised 31 characters of the book and replays them", "Its copying is at chance level: text it never saw shares about as long a run", "Nothing: a generated text and a held-out one cannot be compared", "It copies more than chance, since 31 is above 28, so it has overfit"], 2,
            "Ask what the second figure stands for, and how far apart two such figures can fall by luck.",
            [(1, "Any English text shares some run with a long book: the held-out text shows that much without any model."),
             (3, "They are the same length and searched in the same book: that is what makes them comparable."),
             (4, "One run of 3 characters more is within what another piece of held-out text would change; overfitting copies whole sentences.")],
            "Held-out text by the same author shares runs with the book by chance: 28 characters here.",
            "The generated text's 31 is about the same, so the model copies no more than chance; memorising would show runs of hundreds.") with { AboutOutput = true },
        Q("10.5", Level.Medium, "After fine-tuning on Austen, a model's loss on Shakespeare rose from 1.60 to 1.95 nats/char; a model trained only on Austen scores 2.60 there. Which reading is right?",
            ["Fine-tuning erased all it knew of Shakespeare", "The rise is noise of the validation text and means nothing", "It forgot part of Shakespeare: worse than before, yet better than a model that never read him", "The shared vocabulary changed Shakespeare's validation text, so the figures differ"], 3,
            "Place 1.95 between the other two figures: which end is it nearer, and what does each end stand for?",
            [(1, "Erased would mean about 2.60, the figure of a model that never read Shakespeare."),
             (2, "The same text is scored by both models; 0.35 nats per character is a large change."),
             (4, "The vocabulary was built from both texts before pre-training and never changed.")],
            "1.60 is what pre-training gave; 2.60 is what a model that never read Shakespeare gives.",
            "1.95 lies between them, nearer 1.60: fine-tuning lost part of what it knew, not all of it."),
    ];
}
