// The questions of lesson 11 (looking inside), in the course's quiz style: a level, choices, the answer,
// a hint that points the way, the mistake behind each wrong choice, and a worked solution.
namespace TextGen.Course;

public static partial class QuestionBank
{
    private static IEnumerable<Question> Lesson11() =>
    [
        Q("11.1", Level.Easy, "What is the memory of a 5-gram character Markov chain?",
            ["The previous 4 characters", "The previous 5 characters", "Everything since the start of the text, weighted by its counts", "The whole current line"], 1,
            "The n counts the character being predicted too.",
            [(2, "Off by one: the 5 characters are the context and the one predicted."),
             (3, "Anything earlier than the context has no influence at all: the counts are per context."),
             (4, "A line is often longer than the context: the chain cannot see where it began.")],
            "A 5-gram counts 5-character strings: a context and the character that follows it.", "The next character depends only on the last n-1 = 4."),
        Q("11.2", Level.Medium, "In the lesson's table the 7-gram does worse on validation text than the 5-gram. Why?",
            ["It has fewer contexts than the 5-gram, so it is too small", "Smoothing is switched off for orders above 5", "It runs out of memory and stops counting", "Most of its 7-character contexts are rare or unseen in training, so its counts say little"], 4,
            "Compare the number of contexts each order has with the length of the training text.",
            [(1, "The table shows it has many more contexts than the 5-gram, not fewer."),
             (2, "The same smoothing is used for every order in the table."),
             (3, "It counts the whole training text; the problem is how often each context was seen.")],
            "Longer contexts split the same text into many more, rarer cases.", "On validation text many contexts were seen a few times or never, and the smoothed counts are near-uniform guesses."),
        Q("11.3", Level.Medium, "What did attention change compared with a recurrent network?",
            ["It removed the need for training", "It made models much smaller than recurrent networks of the same quality, so that they fit on phones", "Each position looks at all earlier ones directly, and training runs in parallel", "It works only for characters, not words"], 3,
            "Think of what a recurrent network must pass everything through.",
            [(1, "Transformers are trained like RNNs, with gradients and a loss."),
             (2, "Transformers are usually larger; their advantage is direct access and parallel training."),
             (4, "Attention works on any tokens; most transformers use sub-word tokens.")],
            "An RNN funnels context through one state, one step at a time.", "Attention takes a weighted mix of all earlier positions directly."),
        Q("11.4", Level.Hard, "Along the lesson's held-out passage the forget gate's mean over units stays well above 0. What follows?",
            ["The LSTM never wipes its memory", "The mean over units hides that single units can reset while others keep theirs", "The forget gate is broken: it should reach 0 at every line break", "The model is an RNN, which has no forget gate"], 2,
            "Look at the counts of units near 0 printed beside the mean.",
            [(1, "The count of units below 0.1 shows that some units do wipe their memory at some steps."),
             (3, "Nothing requires the whole memory to reset at a line break; the model learns which units to reset, and when."),
             (4, "The gates are recorded only for an LSTM, and the cell prints them.")],
            "The mean of many gates is in the middle when some are near 0 and others near 1.",
            "The per-step counts show units near both ends, which the mean alone cannot show.") with { AboutOutput = true },
    ];
}
