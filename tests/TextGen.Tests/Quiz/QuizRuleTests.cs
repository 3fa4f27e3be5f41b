// Quizzes that teach: every rule of QuizRules holds on the course's bank, and each one fails on a planted question
// that breaks it, so that a rule which could never fail is not mistaken for one that holds.
using TextGen.Course;
using TextGen.Interactive;
using TextGen.Tests.Notebooks;
using Xunit;

namespace TextGen.Tests.Quiz;

[Collection(ProcessStateCollection.Name)]
public class QuizRuleTests
{
    private static IReadOnlyList<Question> Bank => QuestionBank.Questions;

    private static string ProseOf(Question q) => string.Join("\n",
        LessonCell.Read(LessonCell.LessonPath(int.Parse(q.Id.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture)))
            .Where(c => !c.IsCode).Select(c => c.Source));

    private static Question Planted(string hint, string right = "ln 10,000 ≈ 9.2 nats", string id = "7.2") =>
        new(id, Level.Easy, "A fresh word model with a vocabulary of 10,000 words starts near which loss?",
            ["ln 65 ≈ 4.2 nats", right, "10,000 nats", "1/10,000 nats"], 2, hint,
            new Dictionary<int, string> { [1] = "That is the character model's.", [3] = "A loss is not a count.", [4] = "That is a probability." },
            ["Every word gets probability 1/V.", "-ln(1/V) = ln V ≈ 9.21 nats."]);

    [Fact]
    public void No_right_choice_repeats_five_words_in_a_row_of_its_lessons_prose() =>
        QuizRules.AssertNone(Bank.Select(q => QuizRules.CopiedFromLesson(q, ProseOf(q))));

    [Fact]
    public void Every_card_shows_the_hint_only_after_a_wrong_answer_and_the_worked_solution_only_after_the_right_one()
    {
        var saved = Environment.GetEnvironmentVariable(TextGen.Course.Quiz.AnswerKeyVariable);
        Environment.SetEnvironmentVariable(TextGen.Course.Quiz.AnswerKeyVariable, null);
        try
        {
            QuizRules.AssertNone(Bank.SelectMany(q => QuizRules.RevealedTooEarly(q, QuizCard.Html)));
            QuizRules.AssertNone(Bank.SelectMany(q => QuizRules.RevealedTooEarly(q, r => r.ToString())));
        }
        finally { Environment.SetEnvironmentVariable(TextGen.Course.Quiz.AnswerKeyVariable, saved); }
    }

    [Fact]
    public void A_card_that_shows_the_hint_before_the_first_answer_is_caught()
    {
        var q = QuestionBank.Get("8.2");
        // The engine of 2026-12-06 put the hint under every unanswered question.
        string Early(QuizResult r) => QuizCard.Html(r.Status == QuizStatus.Unanswered ? r with { Feedback = [.. r.Feedback, $"Hint: {q.Hint}"] } : r);
        Assert.Equal(["8.2: the hint shows before any answer"], QuizRules.RevealedTooEarly(q, Early));
        string Silent(QuizResult r) => QuizCard.Html(r with { Feedback = [] });
        var silent = QuizRules.RevealedTooEarly(q, Silent).ToList();
        Assert.Contains("8.2: the right answer does not show the worked solution", silent);
        Assert.Contains("8.2: wrong choice 1 does not show the hint", silent);
    }

    [Fact]
    public void A_hint_that_holds_the_answers_number_paraphrases_it_or_names_its_place_is_caught_and_a_pointer_is_not()
    {
        Assert.Empty(QuizRules.HintLeaks(Planted("A model that knows nothing: what probability does it give each word?")));
        Assert.Contains("holds 9.2", Assert.Single(QuizRules.HintLeaks(Planted("Minus the log of 1/10,000 is about 9.2."))));
        Assert.Contains("contains the right choice", QuizRules.HintLeaks(Planted("It is ln 10,000 ≈ 9.2 nats.")).First());
        Assert.Contains("points at a choice by its place", Assert.Single(QuizRules.HintLeaks(Planted("Not the second choice."))));
        var paraphrase = Planted("Think of how the forget gate keeps the memory almost intact.",
            right: "The memory is kept almost intact by the open forget gate");
        Assert.Contains("paraphrases the right choice", Assert.Single(QuizRules.HintLeaks(paraphrase)));
    }

    [Fact]
    public void A_right_choice_copied_from_the_lessons_prose_is_caught_and_an_answer_in_own_words_is_not()
    {
        const string prose = "The state has a fixed size, so it is a lossy summary of what the network has read, not a record of it.";
        var copied = Planted("Compare the sizes.", right: "It is a lossy summary of what the network has read, not a record of it", id: "4.9");
        Assert.Contains("repeats", QuizRules.CopiedFromLesson(copied, prose));
        var own = Planted("Compare the sizes.", right: "Four numbers that blend every character read, the recent ones most", id: "4.9");
        Assert.Null(QuizRules.CopiedFromLesson(own, prose));
        Assert.Equal((3, "summary of what"), QuizRules.LongestSharedRun("A Summary, of what?", "the summary of what it read"));
    }

    [Fact]
    public void A_bank_with_crowded_answer_positions_or_mostly_longest_right_choices_is_caught()
    {
        Question At(int answer, bool longest) => new($"1.{answer}", Level.Easy, "?",
            longest ? new[] { "a", "bb", "cc", "dd" }.Select((c, i) => i + 1 == answer ? "the longest one" : c).ToArray() : ["aaaa", "bbbb", "cccc", "dddd"],
            answer, "h", new Dictionary<int, string>(), ["s"]);
        var crowded = Enumerable.Range(0, 10).Select(i => At(i < 4 ? 1 : i % 4 + 1, longest: false)).ToList();
        Assert.Contains("choice 1 is the answer to", Assert.Single(QuizRules.CrowdedPositions(crowded)));
        var spread = Enumerable.Range(0, 12).Select(i => At(i % 4 + 1, longest: i < 5)).ToList();
        Assert.Empty(QuizRules.CrowdedPositions(spread));
        Assert.Contains("strictly longest in 5 of 12", QuizRules.LongestTooOften(spread));
        Assert.Null(QuizRules.LongestTooOften(spread.Skip(1).Append(At(1, longest: false)).ToList()));
    }
}
