// The questions of lesson 11 (looking inside), in the course's quiz style: a level, choices, the answer,
// a hint that points the way, the mistake behind each wrong choice, and a worked solution.
namespace TextGen.Quiz;

public static partial class QuestionBank
{
    private static IEnumerable<Question> Lesson11() =>
    [
        Q("11.1", Level.Easy, "What is the memory of a 5-gram character Markov chain?",
            ["Unlimited", "The previous 4 characters", "5 words", "The whole line"], 2,
            "n-1.",
            [(1, "Anything earlier than n-1 tokens has no influence at all.")],
            "The next character depends only on the last n-1 = 4."),
        Q("11.2", Level.Medium, "Why does a 7-gram model do worse on validation text than a 5-gram here?",
            ["It is too small", "Most 7-character contexts are rare or unseen, so its counts are unreliable", "Because of smoothing only", "It is slower"], 2,
            "Count the contexts versus the training text.",
            [(1, "It has more parameters (contexts), not fewer.")],
            "Longer contexts split the data into more, rarer cases.", "Unseen contexts fall back to near-uniform guesses."),
        Q("11.3", Level.Medium, "What did attention change compared with a recurrent network?",
            ["It removed the need for training", "Every position can look directly at every earlier position, and training parallelises over the sequence", "It made models smaller", "It only works for characters"], 2,
            "No single state vector in between.",
            [(3, "Transformers are usually larger; their advantage is direct access and parallel training.")],
            "An RNN funnels context through one state, one step at a time.", "Attention takes a weighted mix of all earlier positions directly."),
    ];
}
