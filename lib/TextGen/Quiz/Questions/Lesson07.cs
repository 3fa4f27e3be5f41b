// The questions of lesson 7 (training a character model), in the course's quiz style: a level, choices, the answer,
// a hint that points the way, the mistake behind each wrong choice, and a worked solution.
namespace TextGen.Quiz;

public static partial class QuestionBank
{
    private static IEnumerable<Question> Lesson07() =>
    [
        Q("7.1", Level.Medium, "Why carry the hidden state from one batch to the next?",
            ["To save memory", "Because the next batch continues the same text, so the state at its start is meaningful context", "To make backpropagation longer", "To avoid the softmax"], 2,
            "Contiguous lanes.",
            [(3, "The state is detached: gradients still stop at the batch boundary.")],
            "Each lane of batch k+1 starts where lane of batch k ended.", "Carrying the state gives context beyond the sequence length at no extra cost."),
        Q("7.2", Level.Easy, "An untrained character model with 65 characters starts at a loss of about...",
            ["0", "1", "ln 65 ≈ 4.17 nats", "65"], 3,
            "Uniform probabilities: -ln(1/65).",
            [(1, "A loss of 0 would mean certain, correct predictions."), (4, "Cross-entropy is a log-probability, not a count.")],
            "Uniform prediction gives p = 1/65 to the right character.", "Cross-entropy = -ln(1/65) = ln 65 ≈ 4.17."),
        Q("7.3", Level.Medium, "Which checkpoint should a learner keep after a long run on a small corpus?",
            ["The last one", "The one with the best validation loss", "The first one", "Any"], 2,
            "Small corpora overfit.",
            [(1, "After overfitting starts, later weights are worse on new text.")],
            "Validation loss rises once the model memorises the training text.", "The trainer saves the best-validation model for this reason."),
    ];
}
