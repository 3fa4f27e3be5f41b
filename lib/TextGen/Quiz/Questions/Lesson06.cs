// The questions of lesson 6 (LSTM and GRU), in the course's quiz style: a level, choices, the answer,
// a hint that points the way, the mistake behind each wrong choice, and a worked solution.
namespace TextGen.Quiz;

public static partial class QuestionBank
{
    private static IEnumerable<Question> Lesson06() =>
    [
        Q("6.1", Level.Easy, "In an LSTM, which gate decides how much of the old cell state to keep?",
            ["Input gate", "Forget gate", "Output gate", "Candidate g"], 2,
            "c_t = f * c_{t-1} + i * g.",
            [(1, "The input gate scales the new candidate."), (3, "The output gate decides what of the cell is shown as h.")],
            "f multiplies c_{t-1}.", "f near 1 keeps the memory, near 0 erases it."),
        Q("6.2", Level.Medium, "Why compare cells at an equal parameter budget?",
            ["To make training faster", "Otherwise an LSTM wins just by having four times the weights of an RNN of the same width", "Because PyTorch requires it", "It does not matter"], 2,
            "Weights per unit: RNN 1x, GRU 3x, LSTM 4x.",
            [(4, "Size alone changes the loss; the comparison would be unfair.")],
            "At the same width an LSTM has ~4x the parameters of an RNN.", "Equal budgets isolate the effect of the gates."),
        Q("6.3", Level.Medium, "How many gates' worth of weights does a GRU have compared with an LSTM?",
            ["The same (4)", "3 versus 4", "2 versus 4", "1 versus 4"], 2,
            "r, z, n.",
            [(1, "A GRU has no separate output gate or cell state.")],
            "GRU blocks: r, z, n (3). LSTM blocks: i, f, g, o (4)."),
    ];
}
