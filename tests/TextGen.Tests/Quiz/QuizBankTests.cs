// The answer key cannot be guessed: right answers are spread over the positions and are not simply the
// longest choice, hints do not state the answer, and every lesson asks at least one question about its
// own output. The rules themselves are in QuizRules, shown failing on planted questions in QuizRuleTests.
using TextGen.Course;
using Xunit;

namespace TextGen.Tests.Quiz;

public class QuizBankTests
{
    private static IReadOnlyList<Question> Bank => QuestionBank.Questions;

    [Fact]
    public void No_position_holds_more_than_35_percent_of_the_right_answers() => QuizRules.AssertNone(QuizRules.CrowdedPositions(Bank));

    [Fact]
    public void The_right_answer_is_the_longest_choice_in_at_most_40_percent_of_the_questions() => QuizRules.AssertNone([QuizRules.LongestTooOften(Bank)]);

    [Fact]
    public void No_hint_contains_or_paraphrases_the_right_choice_or_points_at_a_choice() => QuizRules.AssertNone(Bank.SelectMany(QuizRules.HintLeaks));

    [Fact]
    public void Every_lesson_has_a_question_about_its_own_output_and_every_wrong_choice_is_explained()
    {
        for (int lesson = 1; lesson <= 11; lesson++)
            Assert.True(Bank.Any(q => q.Id.StartsWith($"{lesson}.", StringComparison.Ordinal) && q.AboutOutput),
                $"lesson {lesson} has no question that applies it to its own output (Question.AboutOutput)");
        // A wrong answer shows the mistake behind that choice (Quiz.Ask): each wrong choice needs its own explanation.
        var unexplained = Bank.SelectMany(q => Enumerable.Range(1, q.Choices.Count)
                .Where(k => k != q.Answer && !(q.Mistakes.TryGetValue(k, out var why) && !string.IsNullOrWhiteSpace(why)))
                .Select(k => $"{q.Id} choice {k} (\"{q.Choices[k - 1]}\")"))
            .ToList();
        Assert.True(unexplained.Count == 0, $"wrong choices without the mistake behind them:\n{string.Join("\n", unexplained)}");
    }
}
