// The questions of lesson 10 (fine-tuning), in the course's quiz style: a level, choices, the answer,
// a hint that points the way, the mistake behind each wrong choice, and a worked solution.
namespace TextGen.Quiz;

public static partial class QuestionBank
{
    private static IEnumerable<Question> Lesson10() =>
    [
        Q("10.1", Level.Medium, "What must a Shakespeare character model share with the Austen data to be fine-tuned on it?",
            ["The sequence length", "The vocabulary (the same characters in the same ids)", "The batch size", "Nothing"], 2,
            "Think of the output layer's rows.",
            [(1, "Sequence length can change freely between runs.")],
            "The embedding and output layers have one row per token id.", "A character missing from the vocabulary cannot be read or predicted."),
        Q("10.2", Level.Medium, "Why does the fine-tuned model start with a lower Austen loss than a fresh one?",
            ["It has more parameters", "It already knows spelling, punctuation and common words from Shakespeare", "Austen is easier", "Because of dropout"], 2,
            "What transfers between the two texts?",
            [(1, "Both models have the same size.")],
            "Much of English is shared between the authors.", "Only style and vocabulary must be learned anew."),
        Q("10.3", Level.Hard, "Myth check: a trained RNN memorises its training sentences and replays them.",
            ["True", "False: it learns statistics of what follows what; long exact copies are rare unless the model overfits a small corpus", "True for word models", "True at temperature 1"], 2,
            "Compare generated lines with the corpus.",
            [(1, "Generated text mixes patterns; verbatim runs appear mainly when a large model overfits a small text.")],
            "The model stores a distribution, not a list of sentences.", "Overfitting (validation loss rising) is when copying grows."),
    ];
}
