// The questions of lesson 5 (vanishing and exploding gradients), in the course's quiz style: a level, choices, the answer,
// a hint that points the way, the mistake behind each wrong choice, and a worked solution.
namespace TextGen.Quiz;

public static partial class QuestionBank
{
    private static IEnumerable<Question> Lesson05() =>
    [
        Q("5.1", Level.Medium, "Why does a vanilla RNN's gradient vanish with distance in time?",
            ["The learning rate is too small", "It is a product of one Jacobian per step, whose size is usually below 1", "Because of the softmax", "Because of the embedding"], 2,
            "Count the multiplications between x_0 and h_T.",
            [(1, "The learning rate scales updates; it does not change how gradients flow.")],
            "Each step back multiplies by W_hh^T times the tanh derivative (at most 1).", "A product of many factors below 1 shrinks geometrically."),
        Q("5.2", Level.Medium, "What does clipping the gradient norm at 1 do?",
            ["Sets every gradient to 1", "Rescales the whole gradient when its norm exceeds 1, keeping its direction", "Removes negative gradients", "Lowers the learning rate permanently"], 2,
            "Norm, not value.",
            [(1, "That would destroy the direction of descent."), (4, "Only the current step is rescaled, and only when needed.")],
            "If ||g|| > 1, g becomes g / ||g||.", "Small gradients pass unchanged; one exploding batch cannot throw the model far."),
        Q("5.3", Level.Hard, "Myth check: does an RNN remember everything it has read?",
            ["Yes, the state holds the whole text", "No: the state has fixed size, and gradients from far back vanish, so distant text has little influence", "Only LSTMs forget", "Only with dropout"], 2,
            "Look at the gradient norms 40 steps back.",
            [(1, "A few hundred numbers cannot hold a whole book; training also rarely teaches long dependencies.")],
            "The state is a lossy summary.", "Measured gradients 40 steps back are millions of times smaller than at the last step."),
    ];
}
