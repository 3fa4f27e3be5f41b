// What a learner gets back for anything typed into a quiz or check cell: a wrong type, null, NaN, ∞, a huge number, a
// tensor of the wrong rank, a choice out of range, an unknown id. Each row is one QuizResult with one friendly line.
using System.Text.RegularExpressions;
using TextGen.Course;
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests.Quiz;

[Collection(TextGen.Tests.Notebooks.ProcessStateCollection.Name)]
public class HostileInputTests
{
    private static readonly int Choices = QuestionBank.Get("1.1").Choices.Count;
    private static readonly string[] Lesson7 = [.. QuestionBank.Questions.Where(q => q.Id.StartsWith("7.")).Select(q => q.Id)];

    // The headline that the notebook output checks parse: "[id] title — badge".
    private static readonly Regex Headline = new(@"^\[[^\]\n]+\] [^\n]+ — (✔ correct|✘ not yet|○ not answered yet)$");

    private sealed record Row(Func<QuizResult> Call, QuizStatus Status, string Says);

    private static readonly Dictionary<string, Row> Rows = new()
    {
        // Quiz.Ask with answers of the wrong type or out of range
        ["ask: the text \"2\""] = new(() => TextGen.Course.Quiz.Ask("1.1", "2"), QuizStatus.Wrong, "without quotes, like answer: 2"),
        ["ask: the text \"two\""] = new(() => TextGen.Course.Quiz.Ask("1.1", "two"), QuizStatus.Wrong, $"give the number of a choice, 1-{Choices}"),
        ["ask: 2.0, a whole double"] = new(() => TextGen.Course.Quiz.Ask("1.1", 2.0), QuizStatus.Wrong, "choices are whole numbers, like answer: 2"),
        ["ask: 2.5"] = new(() => TextGen.Course.Quiz.Ask("1.1", 2.5), QuizStatus.Wrong, "The number 2.5 is not a choice"),
        ["ask: NaN"] = new(() => TextGen.Course.Quiz.Ask("1.1", double.NaN), QuizStatus.Wrong, "NaN (not a number) is not a choice"),
        ["ask: +∞"] = new(() => TextGen.Course.Quiz.Ask("1.1", double.PositiveInfinity), QuizStatus.Wrong, "∞ is not a choice"),
        ["ask: a huge long"] = new(() => TextGen.Course.Quiz.Ask("1.1", 5_000_000_000L), QuizStatus.Wrong, $"5000000000 is not one of the choices: give a number from 1 to {Choices}"),
        ["ask: int.MaxValue"] = new(() => TextGen.Course.Quiz.Ask("1.1", int.MaxValue), QuizStatus.Wrong, $"from 1 to {Choices}"),
        ["ask: 0"] = new(() => TextGen.Course.Quiz.Ask("1.1", 0), QuizStatus.Wrong, $"0 is not one of the choices: give a number from 1 to {Choices}"),
        ["ask: -1"] = new(() => TextGen.Course.Quiz.Ask("1.1", -1), QuizStatus.Wrong, $"from 1 to {Choices}"),
        ["ask: one past the last choice"] = new(() => TextGen.Course.Quiz.Ask("1.1", Choices + 1), QuizStatus.Wrong, $"{Choices + 1} is not one of the choices"),
        ["ask: true"] = new(() => TextGen.Course.Quiz.Ask("1.1", true), QuizStatus.Wrong, "True is not a choice"),
        ["ask: a tensor"] = new(() => TextGen.Course.Quiz.Ask("1.1", Tensor.Zeros(2)), QuizStatus.Wrong, "A tensor of shape (2) is not a choice"),
        ["ask: an array"] = new(() => TextGen.Course.Quiz.Ask("1.1", new[] { 2 }), QuizStatus.Wrong, "An array of 1 ints is not a choice"),
        // Unknown question ids
        ["ask: unknown id 99.9"] = new(() => TextGen.Course.Quiz.Ask("99.9", 2), QuizStatus.Wrong, "There is no question '99.9': ids are text like \"3.1\""),
        ["ask: unknown id in a known lesson"] = new(() => TextGen.Course.Quiz.Ask("7.9", answer: null), QuizStatus.Wrong, $"lesson 7 has {string.Join(", ", Lesson7)}"),
        ["ask: empty id"] = new(() => TextGen.Course.Quiz.Ask("", "x"), QuizStatus.Wrong, "There is no question '?'"),
        ["ask: null id"] = new(() => TextGen.Course.Quiz.Ask((string?)null!, 1), QuizStatus.Wrong, "No question id was given"),
        ["ask: a 10,000-character id"] = new(() => TextGen.Course.Quiz.Ask(new string('7', 10_000), 1), QuizStatus.Wrong, "There is no question '7777"),
        ["ask: a null Question"] = new(() => TextGen.Course.Quiz.Ask((Question)null!, 1), QuizStatus.Wrong, "No question was given"),
        // Check.Shape
        ["shape: not computed (null)"] = new(() => Check.Shape("3.shape", (Tensor?)null, 2, 3, 4), QuizStatus.Unanswered, "Compute the tensor"),
        ["shape: wrong rank"] = new(() => Check.Shape("3.shape", Tensor.Zeros(2, 3), 2, 3, 4), QuizStatus.Wrong, "it has 2 dims instead of 3"),
        ["shape: rank 0"] = new(() => Check.Shape("3.shape", Tensor.Scalar(1f), 2, 3, 4), QuizStatus.Wrong, "it has 0 dims instead of 3"),
        ["shape: sizes swapped"] = new(() => Check.Shape("3.shape", Tensor.Zeros(3, 2, 4), 2, 3, 4), QuizStatus.Wrong, "the sizes differ"),
        ["shape: an int array"] = new(() => Check.Shape("3.shape", new[] { 2, 3, 4 }, 2, 3, 4), QuizStatus.Wrong, "not a tensor: expected a Tensor of shape (2, 3, 4) (Tensor.FromArray"),
        ["shape: a float array"] = new(() => Check.Shape("3.shape", new float[24], 2, 3, 4), QuizStatus.Wrong, "an array of 24 floats, not a tensor"),
        ["shape: the text \"(2, 3, 4)\""] = new(() => Check.Shape("3.shape", "(2, 3, 4)", 2, 3, 4), QuizStatus.Wrong, "the text \"(2, 3, 4)\", not a tensor"),
        ["shape: a number"] = new(() => Check.Shape("3.shape", 24.0, 2, 3, 4), QuizStatus.Wrong, "the number 24, not a tensor"),
        // Check.Close
        ["close: NaN"] = new(() => Check.Close("c", double.NaN, 1.0, 0.1, "the loss"), QuizStatus.Wrong, "NaN (not a number), expected about 1"),
        ["close: +∞"] = new(() => Check.Close("c", double.PositiveInfinity, 1.0, 0.1, "the loss"), QuizStatus.Wrong, "Your value is ∞"),
        ["close: -∞"] = new(() => Check.Close("c", double.NegativeInfinity, 1.0, 0.1, "the loss"), QuizStatus.Wrong, "Your value is -∞"),
        ["close: float NaN"] = new(() => Check.Close("c", (object)float.NaN, 1.0, 0.1, "the loss"), QuizStatus.Wrong, "NaN (not a number)"),
        ["close: double.MaxValue"] = new(() => Check.Close("c", double.MaxValue, 1.0, 0.1, "the loss"), QuizStatus.Wrong, "away from the expected value"),
        ["close: 1e300"] = new(() => Check.Close("c", 1e300, 1.0, 0.1, "the loss"), QuizStatus.Wrong, "1E+300 is 1E+300 away"),
        ["close: the text \"0.5\""] = new(() => Check.Close("c", "0.5", 0.5, 0.1, "the loss"), QuizStatus.Wrong, "\"0.5\" is text: write the number without quotes"),
        ["close: the text \"abc\""] = new(() => Check.Close("c", "abc", 0.5, 0.1, "the loss"), QuizStatus.Wrong, "Got the text \"abc\": expected one number for the loss"),
        ["close: true"] = new(() => Check.Close("c", true, 0.5, 0.1, "the loss"), QuizStatus.Wrong, "Got true: expected one number"),
        ["close: a one-element tensor"] = new(() => Check.Close("c", Tensor.Scalar(0.5f), 0.5, 0.1, "the loss"), QuizStatus.Wrong, ".Item()"),
        ["close: a (2, 3) tensor"] = new(() => Check.Close("c", Tensor.Zeros(2, 3), 0.5, 0.1, "the loss"), QuizStatus.Wrong, "Got a tensor of shape (2, 3): expected one number"),
        ["close: not computed (null object)"] = new(() => Check.Close("c", (object?)null, 0.5, 0.1, "the loss"), QuizStatus.Unanswered, "Set your value for the loss"),
        ["close: a decimal is a number"] = new(() => Check.Close("c", 0.5m, 0.5, 0.1, "the loss"), QuizStatus.Correct, "within"),
        // Check.InitialLoss and Check.True
        ["initial loss: NaN"] = new(() => Check.InitialLoss("7.initial", double.NaN, 65), QuizStatus.Wrong, "NaN (not a number)"),
        ["initial loss: the text \"4.17\""] = new(() => Check.InitialLoss("7.initial", "4.17", 65), QuizStatus.Wrong, "without quotes"),
        ["initial loss: not computed"] = new(() => Check.InitialLoss("7.initial", null, 65), QuizStatus.Unanswered, "Set your value"),
        ["initial loss: vocabulary 0"] = new(() => Check.InitialLoss("7.initial", 4.17, 0), QuizStatus.Wrong, "The vocabulary size is 0"),
        ["true: not computed"] = new(() => Check.True("4.fused", null, "fused equals cell", "compare them"), QuizStatus.Unanswered, "Compute the condition"),
        ["true: a number"] = new(() => Check.True("4.fused", 1, "fused equals cell", "compare them"), QuizStatus.Wrong, "expected true or false"),
    };

    public static TheoryData<string> Cases() => new(Rows.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Hostile_input_gets_a_result_with_one_friendly_line_and_the_usual_headline(string name)
    {
        var row = Rows[name];
        var result = row.Call();   // never throws: an exception fails the row
        Assert.Equal(row.Status, result.Status);
        var line = Assert.Single(result.Feedback);
        Assert.Contains(row.Says, line);
        Assert.DoesNotContain("Exception", line);
        Assert.DoesNotContain("   at ", line);
        Assert.Matches(Headline, result.Headline);
        Assert.Equal(result.Headline, result.ToString().Split('\n')[0]);
        Assert.Contains($"data-status=\"{result.Status.ToString().ToLowerInvariant()}\"", TextGen.Interactive.QuizCard.Html(result));
    }

    [Fact]
    public void A_wrong_typed_answer_to_a_known_question_still_shows_the_question_and_its_choices()
    {
        var r = TextGen.Course.Quiz.Ask("1.1", "2");
        var q = QuestionBank.Get("1.1");
        Assert.Equal(q.Text, r.Prompt);
        Assert.Equal(q.Choices, r.Choices);
        Assert.Equal($"[1.1] Question ({q.Level.ToString().ToLowerInvariant()}) — ✘ not yet", r.Headline);
    }

    [Fact]
    public void The_lessons_own_calls_keep_their_behaviour()
    {
        var q = QuestionBank.Get("1.1");
        var unanswered = TextGen.Course.Quiz.Ask("1.1", answer: null);
        Assert.Equal(QuizStatus.Unanswered, unanswered.Status);
        Assert.Equal([$"Give your answer (a number 1-{q.Choices.Count}) in place of null and run the cell again. Stuck? Quiz.Hint(\"1.1\") shows a hint."],
            unanswered.Feedback);
        Assert.Equal(QuizStatus.Correct, TextGen.Course.Quiz.Ask("1.1", q.Answer).Status);
        int wrong = q.Mistakes.Keys.First();
        Assert.Equal([q.Mistakes[wrong], $"Hint: {q.Hint}"], TextGen.Course.Quiz.Ask("1.1", wrong).Feedback);
        int? notYet = null;
        Assert.Equal(QuizStatus.Unanswered, Check.Close("2.split", notYet, 5, 0, "validation tokens").Status);
        int? counted = 5;
        Assert.True(Check.Close("2.split", counted, 5, 0, "validation tokens").Passed);
        double? value = 1.02;
        Assert.True(Check.Close("1.c", value, 1.0, 0.05, "the loss").Passed);
        Assert.True(Check.Shape("3.shape", Tensor.Zeros(2, 3), 2, 3).Passed);
        Assert.True(Check.InitialLoss("7.initial", Math.Log(65), 65).Passed);
        Assert.True(Check.True("4.fused", 1e-6f < 1e-5f, "fused equals cell", "compare them").Passed);
    }

    [Fact]
    public void The_answer_key_fills_an_unanswered_choice_but_never_a_wrong_typed_answer_or_a_check()
    {
        var saved = Environment.GetEnvironmentVariable(TextGen.Course.Quiz.AnswerKeyVariable);
        Environment.SetEnvironmentVariable(TextGen.Course.Quiz.AnswerKeyVariable, "1");
        try
        {
            Assert.True(TextGen.Course.Quiz.Ask("1.1", answer: null).Passed);
            Assert.True(TextGen.Course.Quiz.Ask("1.1", (object?)null).Passed);
            Assert.Equal(QuizStatus.Wrong, TextGen.Course.Quiz.Ask("1.1", "2").Status);
            Assert.Equal(QuizStatus.Wrong, TextGen.Course.Quiz.Ask("99.9", answer: null).Status);
            Assert.Equal(QuizStatus.Unanswered, Check.Close("c", (object?)null, 1.0, 0.1, "x").Status);
            Assert.Equal(QuizStatus.Unanswered, Check.Shape("s", (object?)null, 2, 3).Status);
            Assert.Equal(QuizStatus.Unanswered, Check.InitialLoss("l", null, 65).Status);
        }
        finally { Environment.SetEnvironmentVariable(TextGen.Course.Quiz.AnswerKeyVariable, saved); }
    }
}
