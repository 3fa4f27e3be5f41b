// The questions of lesson 11 (looking inside), in the course's quiz style: a level, choices, the answer,
// a hint that points the way, the mistake behind each wrong choice, and a worked solution.
namespace TextGen.Course;

public static partial class QuestionBank
{
    private static IEnumerable<Question> Lesson11() =>
    [
        Q("11.1", Level.Easy, "A 5-gram character chain is about to write the character after \"I will not th\". Which part of that text decides the distribution it draws from?",
            ["\"ot th\", the last 5 characters", "\"t th\", the last 4 characters", "The whole line, \"I will not th\"", "\"th\", the word begun so far"], 2,
            "Look at the lesson's bigram check (n = 2): how many characters of context does it read?",
            [(1, "Off by one: the 5 characters a 5-gram counts are the context and the character written after it."),
             (3, "A chain has no state beyond its context: nothing before it has any influence, however recent the line."),
             (4, "The chain does not know where words begin; it reads characters, the space included.")],
            "A 5-gram counts strings of 5 characters: 4 of context and the one that follows; a bigram, 1 and 1.",
            "So the next character's distribution depends on the last 4 characters, \"t th\" (the space counts), and on nothing before them."),
        Q("11.2", Level.Medium, "In the lesson's table the 7-gram does worse on validation text than the 5-gram. Why?",
            ["It has fewer contexts than the 5-gram, so it is too small", "Smoothing is switched off for orders above 5", "It runs out of memory and stops counting", "Most of its 7-character contexts are rare or unseen in training, so its counts say little"], 4,
            "Compare the number of contexts each order has with the length of the training text.",
            [(1, "The table shows it has many more contexts than the 5-gram, not fewer."),
             (2, "The same smoothing is used for every order in the table."),
             (3, "It counts the whole training text; the problem is how often each context was seen.")],
            "Longer contexts split the same text into many more, rarer cases.", "On validation text many contexts were seen a few times or never, and the smoothed counts are near-uniform guesses."),
        Q("11.3", Level.Medium, "A character model must use a character 200 positions back to predict the next one. Through how many steps must that character's information pass in an RNN, and in one attention layer?",
            ["One in each: both models read the whole text at every step",
             "200 in each: attention also hands information on one position at a time",
             "About 200 state updates in the RNN, one weighted mix in attention",
             "None in the RNN, whose state keeps every character; 200 in attention"], 3,
            "Follow the character forward: in the RNN, what happens to the state at each position in between?",
            [(1, "The RNN reads one token per step and keeps only its state: the far character reaches the prediction only through that state."),
             (2, "Attention computes a weighted mix over all earlier positions at once: the far character is one of its terms, however far back."),
             (4, "The state has a fixed size (lesson 4): it cannot keep 200 characters, and every update overwrites part of it.")],
            "An RNN updates its state once per token: the character's information passes through about 200 updates, each of which can fade it (lesson 5).",
            "Attention takes a weighted mix of all earlier positions directly: the far character is one term of that mix, one step away.",
            "That direct path, and training all positions in parallel, is why transformers use long contexts better."),
        Q("11.4", Level.Hard, "At one step of the held-out passage, suppose 100 of 256 units have a forget gate of 0.05 and the other 156 a gate of 0.95. What is the mean over units, and what happens to the memory?",
            ["About 0.6, so no unit wipes its memory at this step: the mean is far above 0",
             "About 0.6, while the 100 units near 0.05 wipe almost all of their memory",
             "About 0.05: the mean follows the units that reset",
             "About 0.5: every unit keeps half of its memory"], 2,
            "Work out the mean first, then ask what a gate of 0.05 does to the memory it multiplies.",
            [(1, "The mean hides the split: 100 units keep only 5% of their memory at this step, which is a reset for them."),
             (3, "The mean weighs every unit alike: the 156 units at 0.95 pull it well above 0.05."),
             (4, "No unit is at 0.5: the mean of two groups at the ends sits in between.")],
            "(100 × 0.05 + 156 × 0.95) / 256 = (5 + 148.2) / 256 ≈ 0.60.",
            "Yet each of the 100 units multiplies its memory by 0.05: it keeps 5%, in effect a reset.",
            "So a mean well above 0 does not show that no unit resets: the counts of units near 0, printed beside the mean, show the split.") with { AboutOutput = true },
    ];
}
