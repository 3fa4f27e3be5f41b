// The questions of lesson 8 (sampling), in the course's quiz style: a level, choices, the answer,
// a hint that points the way, the mistake behind each wrong choice, and a worked solution.
namespace TextGen.Course;

public static partial class QuestionBank
{
    private static IEnumerable<Question> Lesson08() =>
    [
        Q("8.1", Level.Easy, "What does greedy decoding do at each step?",
            ["Draws a token from the softmax at temperature 1", "Keeps the four most probable partial texts",
             "Takes the single most probable next token", "Draws uniformly among the five best tokens"], 3,
            "It is what sampling becomes as the temperature goes to 0.",
            [(1, "That is sampling; greedy decoding never draws at random."),
             (2, "That is beam search with a width of 4."),
             (4, "That is top-k sampling with k = 5 at a very high temperature.")],
            "At every step greedy decoding takes the argmax of the logits.",
            "The same prompt always gives the same text: there is no randomness.",
            "It loops: the most likely continuation of a common phrase leads back into it, as the greedy sample shows."),
        Q("8.2", Level.Medium, "Two tokens have logits 2 and 1, so at T = 1 the first is e ≈ 2.7 times as probable as the second. How many times as probable is it at T = 0.25?",
            ["e ≈ 2.7 times, the same as at T = 1", "e⁴ ≈ 55 times", "e^0.25 ≈ 1.3 times", "2 times, the ratio of the two logits"], 2,
            "The ratio of two softmax probabilities is exp of the gap between their logits. What does dividing by T do to the gap?",
            [(1, "The temperature changes the ratio: the logits, and so their gap, are divided by T before the softmax."),
             (3, "That multiplies the gap by T; the logits are divided by T, so at T < 1 the gap grows."),
             (4, "The softmax ratio depends on the difference of the logits, through exp, not on their ratio.")],
            "At temperature T the ratio is exp((2 - 1) / T).",
            "At T = 0.25 the gap becomes 4, so the ratio is e⁴ ≈ 54.6.",
            "T below 1 sharpens the distribution: the likely token gets likelier."),
        Q("8.3", Level.Hard, "The cost table shows the sliding window feeding about 37 characters per new character, with a window of 40 after a 7-character prompt. For 10,000 new characters with a window of 100, about how many would it feed per new character, and the stateful generator?",
            ["About 100, and about 1", "About 40, and about 1", "About 100, and about 100", "About 37, and about 7"], 1,
            "Once the text is longer than the window, how much does each draw re-read? And what does carrying the state save?",
            [(2, "The window sets the cost: it re-reads its 100 characters for every new one once the text is longer than the window."),
             (3, "The stateful generator carries its state: one step per new character, whatever the window of the other."),
             (4, "The 37 came from the first draws reading shorter contexts; over 10,000 characters the full window dominates, and the prompt is read once.")],
            "Draw i reads min(window, prompt + i) characters: after the first 93 draws, always 100.",
            "So over 10,000 characters the average is just under 100.",
            "The stateful generator reads the prompt once and then one character per step: about 1.")
            with { AboutOutput = true },
        Q("8.4", Level.Medium, "The counts above show top-p 0.9 keeping fewer candidates after \"I will not th\" than after a space. Suppose that after \"th\" the five likeliest characters have probabilities 0.50, 0.30, 0.12, 0.05 and 0.03. How many does top-p with p = 0.9 keep?",
            ["2", "3", "4", "5"], 2,
            "Write the running sum of the sorted probabilities: where does it first reach p?",
            [(1, "0.50 + 0.30 = 0.80 is still below 0.9: top-p keeps adding until the kept probability reaches p."),
             (3, "0.50 + 0.30 + 0.12 = 0.92 already reaches 0.9; top-p keeps the smallest such set."),
             (4, "Top-p drops the tail: the last two, 0.05 and 0.03, are not needed to reach 0.9.")],
            "Top-p keeps the likeliest tokens until their probabilities add up to p.",
            "The running sums are 0.50, 0.80, 0.92: the third character takes the sum past 0.9, so 3 are kept.",
            "After a space almost any letter can start a word: the probability is spread thin, and many more tokens are needed to reach 0.9. That is what the counts above show.")
            with { AboutOutput = true },
        Q("8.5", Level.Medium, "Same model, settings and seed: the stateful generator and a sliding window of 100 write after a 20-character prompt. For how many new characters, from the first, are the two texts sure to agree?",
            ["80", "81", "100", "120"], 2,
            "Find the last draw whose window still holds the whole text, then count the draws up to it.",
            [(1, "Draw 80 still sees the whole text: 20 + 80 = 100 characters fit in the window. Count the draws from 0."),
             (3, "The prompt takes 20 places of the window: after draw 80 the text no longer fits in it."),
             (4, "After draw 80 the window has lost the start of the text, so its distributions can differ from the stateful ones.")],
            "Draw i (from 0) reads the last min(100, 20 + i) characters of prompt plus output.",
            "While 20 + i ≤ 100, for draws 0 to 80, the window holds the whole text: it computes the stateful generator's distribution and, with the same random numbers, draws the same character. That is 81 characters.",
            "From draw 81 on the window has lost the start of the text; its distributions can differ, and once one draw differs the texts part."),
    ];
}
