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
        Q("1.2", Level.Medium, "A model reads the text \"cat\" and gives P(c) = 0.2, P(a | c) = 0.5 and P(t | ca) = 0.1. What probability does it give the whole text?",
            ["0.8", "0.27", "0.01", "0.1"], 3,
            "How do the probabilities of events that happen one after another combine, when each is conditioned on the ones before it?",
            [(1, "Adding the three gives 0.8, but probabilities of successive events multiply; a sum can even pass 1."),
             (2, "0.27 is their mean: it says how good a typical prediction is, not how likely the three are together."),
             (4, "0.1 is the least likely step alone; the other two steps can only make the whole text less likely.")],
            "By the chain rule, P(c, a, t) = P(c) P(a | c) P(t | ca).",
            "0.2 × 0.5 × 0.1 = 0.01. Its log-loss is -ln 0.01 ≈ 4.61 nats, the sum of -ln 0.2, -ln 0.5 and -ln 0.1 (1.61 + 0.69 + 2.30)."),
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
