// The questions of lesson 1 (setup), in the course's quiz style: a level, choices, the answer,
// a hint that points the way, the mistake behind each wrong choice, and a worked solution.
namespace TextGen.Course;

public static partial class QuestionBank
{
    private static IEnumerable<Question> Lesson01() =>
    [
        Q("1.1", Level.Easy, "What is a recurrent network used for in text generation?",
            ["Reading a whole review and giving it a single label", "Turning each character into its integer id", "Predicting the next token from the tokens so far", "Compressing the corpus into a smaller file"], 3,
            "Generation writes text one token at a time: what must the model supply at each step?",
            [(1, "That is classification (many-to-one): one answer after the whole text. Generation needs a prediction after every token."),
             (2, "That is the tokenizer's job; it runs before the network and learns nothing."),
             (4, "A good model of text could compress it, but generation uses its predictions, not a smaller file.")],
            "The model learns P(next token | previous tokens) from the corpus.", "Generation samples a token from that distribution, appends it and repeats."),
        Q("1.2", Level.Easy, "Why does the course check every corpus file against a SHA-256 checksum?",
            ["So everyone trains on the same bytes, and a damaged file is refused", "To make the download faster, by skipping bytes already in the cache", "Because the text must be decompressed with its hash before reading", "To find out which text encoding (UTF-8 or Latin-1) the file uses"], 1,
            "Think about what would change in your results if one byte of the file differed.",
            [(2, "Hashing costs time: it buys certainty, not speed."),
             (3, "A hash cannot be reversed or used as a key to decompress; it only fingerprints the bytes."),
             (4, "A hash says nothing about the encoding; it changes completely when any byte changes.")],
            "Losses and samples are only comparable between learners when they come from identical data.",
            "A truncated or altered file has a different hash and is refused, never silently used."),
        Q("1.3", Level.Medium, "The gradient cell printed dy/dw = [1, -8, 36] for w = (0.5, -1, 2). If w_2 moves from -1 to -0.99 (up by 0.01), what happens to y, to first order?",
            ["y rises by about 0.08", "y falls by about 8", "y barely changes: only w_3's gradient is large", "y falls by about 0.08"], 4,
            "A gradient entry says how much y changes per unit change of that weight; the weight moves by 0.01 here.",
            [(1, "Check the sign: the gradient of w_2 is negative, so increasing w_2 decreases y."),
             (2, "-8 is the change per unit of w_2; the step is 0.01, not 1."),
             (3, "Each entry acts on its own weight: w_2's entry is -8, whatever w_3's is.")],
            "To first order, Δy ≈ (dy/dw_2) Δw_2.", "(-8) × 0.01 = -0.08: y falls from 40.25 to about 40.17 (exactly 40.1704, since (-0.99 × 2)² = 3.9204).") with { AboutOutput = true },
        Q("1.4", Level.Medium, "You train the same model, with the same seed, on a GPU instead of the CPU. What should you expect of its losses?",
            ["Exactly the same numbers, to the last digit", "The same losses to a few digits, usually sooner", "A better model, because a GPU learns more per step", "Other losses, because a GPU needs its own model"], 2,
            "Ask what the GPU changes in a training step: the mathematics, or where and in what precision it is computed?",
            [(1, "Thousands of cores add the terms of a sum in another order, and tf32 or bf16 keep fewer digits: the last digits differ."),
             (3, "The step computes the same thing on either device; the GPU only does it faster, so each step teaches the model as much."),
             (4, "The model, its loss and its gradients are the same; only where and how they are computed changes.")],
            "A GPU runs the same training step: the same model, loss and gradients, spread over thousands of cores.",
            "Sums in another order and lower precision make the losses agree to a few digits, not to the last one; a model large enough to fill the GPU gets there sooner."),
    ];
}
