// The questions of lesson 8 (sampling), in the course's quiz style: a level, choices, the answer,
// a hint that points the way, the mistake behind each wrong choice, and a worked solution.
namespace TextGen.Quiz;

public static partial class QuestionBank
{
    private static IEnumerable<Question> Lesson08() =>
    [
        Q("8.1", Level.Easy, "What does greedy decoding do?",
            ["Samples with temperature 1", "Always takes the most probable token", "Keeps several candidates", "Picks a random token"], 2,
            "Greedy = argmax.",
            [(3, "That is beam search.")],
            "At every step: the token with the highest probability.", "It tends to loop: 'the company of the company of ...'."),
        Q("8.2", Level.Medium, "Temperature 0.5 makes the distribution...",
            ["Flatter", "Sharper", "Uniform", "Unchanged"], 2,
            "Logits are divided by T before the softmax.",
            [(1, "T > 1 flattens; T < 1 sharpens.")],
            "Dividing by 0.5 doubles the gaps between logits.", "After the softmax, likely tokens get likelier."),
        Q("8.3", Level.Hard, "Myth check: always choosing the most probable token gives the best text.",
            ["True", "False: it repeats itself and is dull; sampling with a moderate temperature reads better", "True for characters only", "True with beam search"], 2,
            "Look at the greedy sample.",
            [(1, "High probability per step does not mean good text: greedy loops."), (4, "Beam search maximises probability even harder, and loops too.")],
            "Natural text is not the single most likely continuation.", "Some randomness (temperature, top-p) avoids loops."),
    ];
}
