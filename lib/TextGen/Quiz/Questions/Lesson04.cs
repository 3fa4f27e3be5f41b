// The questions of lesson 4 (an RNN by hand), in the course's quiz style: a level, choices, the answer,
// a hint that points the way, the mistake behind each wrong choice, and a worked solution.
namespace TextGen.Quiz;

public static partial class QuestionBank
{
    private static IEnumerable<Question> Lesson04() =>
    [
        Q("4.1", Level.Easy, "What does the hidden state of an RNN hold?",
            ["The weights", "A summary of the sequence read so far", "The next token", "The loss"], 2,
            "It is carried from step to step.",
            [(1, "The weights are shared and fixed during a forward pass; the state changes every step.")],
            "h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh).", "It depends on every earlier input through h_{t-1}."),
        Q("4.2", Level.Medium, "Unrolled over 100 steps, how many copies of W_hh does an RNN use?",
            ["100 different matrices", "One matrix, shared by every step", "Two", "It depends on the batch"], 2,
            "Recurrent means the same cell again and again.",
            [(1, "Then the model could not handle sequences of other lengths.")],
            "The same weights are applied at every step.", "Their gradient is the sum of the contributions of all steps."),
        Q("4.3", Level.Hard, "In backpropagation through time, the gradient of the last output with respect to x_0 passes through...",
            ["Only the first step", "Every step from the last back to the first", "Only the output layer", "Nothing: x_0 does not matter"], 2,
            "Follow the chain h_0 -> h_1 -> ... -> h_T.",
            [(4, "x_0 influences h_0, which influences every later state.")],
            "dL/dx_0 = dL/dh_T * dh_T/dh_{T-1} * ... * dh_0/dx_0.", "This product of Jacobians is what vanishes or explodes."),
    ];
}
