// The question bank and the checks: keys point at real choices, feedback matches the answer.
using TextGen.Course;
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests.Quiz;

[Collection(TextGen.Tests.Notebooks.ProcessStateCollection.Name)]
public class QuizTests
{
    [Fact]
    public void Every_lesson_has_three_valid_questions_with_a_hint_and_a_worked_solution()
    {
        foreach (var q in QuestionBank.Questions)
        {
            q.Validate();
            Assert.False(string.IsNullOrWhiteSpace(q.Hint), q.Id);
            Assert.NotEmpty(q.Solution);
            Assert.NotEmpty(q.Mistakes);
        }
        for (int lesson = 1; lesson <= 11; lesson++)
            Assert.True(QuestionBank.Questions.Count(q => q.Id.StartsWith($"{lesson}.")) >= 3, $"lesson {lesson}");
        Assert.Contains(QuestionBank.Questions, q => q.Level == Level.Hard);
    }

    [Fact]
    public void Right_wrong_and_missing_answers_get_the_matching_feedback()
    {
        var q = QuestionBank.Get("8.2");
        Assert.Equal(QuizStatus.Correct, TextGen.Course.Quiz.Ask(q, q.Answer).Status);
        var wrong = TextGen.Course.Quiz.Ask(q, 1);
        Assert.Equal(QuizStatus.Wrong, wrong.Status);
        Assert.Contains(q.Mistakes[1], wrong.Feedback);
        Assert.Contains(wrong.Feedback, f => f.StartsWith("Hint:"));
        Assert.Equal(QuizStatus.Unanswered, TextGen.Course.Quiz.Ask(q).Status);
        Assert.Equal(QuizStatus.Wrong, TextGen.Course.Quiz.Ask(q, 9).Status);
        Assert.Throws<KeyNotFoundException>(() => QuestionBank.Get("99.9"));
    }

    [Fact]
    public void The_answer_key_fills_multiple_choice_answers_but_never_a_value_or_shape_check()
    {
        var saved = Environment.GetEnvironmentVariable(TextGen.Course.Quiz.AnswerKeyVariable);
        Environment.SetEnvironmentVariable(TextGen.Course.Quiz.AnswerKeyVariable, "1");
        try
        {
            Assert.True(TextGen.Course.Quiz.Ask("8.2").Passed);
            Assert.Equal(QuizStatus.Unanswered, Check.Close("c", null, 1.0, 0.1, "x").Status);
            Assert.Equal(QuizStatus.Unanswered, Check.Shape("s", null, 2, 3).Status);
            Assert.False(Check.Close("c", 5.0, 1.0, 0.1, "x").Passed);
        }
        finally { Environment.SetEnvironmentVariable(TextGen.Course.Quiz.AnswerKeyVariable, saved); }
    }

    [Fact]
    public void Text_form_starts_with_the_headline_and_lists_the_choices_by_number()
    {
        var r = TextGen.Course.Quiz.Ask("8.2", 1);
        var lines = r.ToString().Split('\n');
        Assert.Equal("[8.2] Question (medium) — ✘ not yet", lines[0]);
        Assert.Equal($"  1. {r.Choices[0]}", lines[2]);
        Assert.Contains(lines, l => l.StartsWith("  → Hint: "));
    }

    [Fact]
    public void Checks_compare_shapes_values_and_the_initial_loss()
    {
        Assert.True(Check.Shape("s", Tensor.Zeros(2, 3, 4), 2, 3, 4).Passed);
        var rank = Check.Shape("s", Tensor.Zeros(2, 3), 2, 3, 4);
        Assert.Contains("2 dims instead of 3", rank.Feedback[0]);
        Assert.Equal(QuizStatus.Unanswered, Check.Shape("s", null, 2).Status);
        Assert.True(Check.InitialLoss("l", Math.Log(65) + 0.01, 65).Passed);
        var far = Check.InitialLoss("l", 2.0, 65);
        Assert.False(far.Passed);
        Assert.Contains(far.Feedback, f => f.Contains("evenly"));
        Assert.False(Check.Close("c", 1.5, 1.0, 0.1, "x").Passed);
        Assert.True(Check.True("t", true, "x", "hint").Passed);
    }
}
