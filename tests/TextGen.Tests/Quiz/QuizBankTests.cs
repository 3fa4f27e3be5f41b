// The answer key cannot be guessed: right answers are spread over the positions and are not simply the
// longest choice, hints do not state the answer, and every lesson asks at least one question about its
// own output.
using TextGen.Course;
using Xunit;

namespace TextGen.Tests.Quiz;

public class QuizBankTests
{
    private static IReadOnlyList<Question> Bank => QuestionBank.Questions;

    [Fact]
    public void No_position_holds_more_than_35_percent_of_the_right_answers()
    {
        var byPosition = Bank.GroupBy(q => q.Answer).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (position, count) in byPosition)
            Assert.True(count <= 0.35 * Bank.Count, $"choice {position} is the answer to {count} of {Bank.Count} questions");
    }

    [Fact]
    public void The_right_answer_is_the_longest_choice_in_at_most_40_percent_of_the_questions()
    {
        int longest = Bank.Count(q => q.Choices[q.Answer - 1].Length > q.Choices.Where((_, i) => i != q.Answer - 1).Max(c => c.Length));
        Assert.True(longest <= 0.40 * Bank.Count, $"the right choice is the strictly longest in {longest} of {Bank.Count} questions");
    }

    [Fact]
    public void No_hint_contains_the_right_choice()
    {
        foreach (var q in Bank)
        {
            var answer = q.Choices[q.Answer - 1];
            Assert.False(answer.Length >= 3 && q.Hint.Contains(answer, StringComparison.OrdinalIgnoreCase), $"{q.Id}: the hint \"{q.Hint}\" states the answer \"{answer}\"");
        }
    }

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
