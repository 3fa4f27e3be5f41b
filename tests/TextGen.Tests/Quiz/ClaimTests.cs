// The claim API the lessons end their comparisons with: an experiment is checked only on the full budget and shows its
// bar beside the evidence; a fact is checked on every budget and has badges of its own; a NaN, ±∞ or missing number in
// the evidence fails either, whatever the condition says; the evidence reads as the same interpolated string would.
using TextGen.Course;
using Xunit;

namespace TextGen.Tests.Quiz;

[Collection(TextGen.Tests.Notebooks.ProcessStateCollection.Name)]   // sets Lesson.Budget, which the notebook tests set too
public class ClaimTests
{
    private static T At<T>(LessonBudget budget, Func<T> f)
    {
        var saved = Lesson.Budget;
        Lesson.Budget = budget;
        try { return f(); }
        finally { Lesson.Budget = saved; }
    }

    [Fact]
    public void An_experiment_is_checked_on_the_full_budget_only_and_shows_its_bar_beside_the_evidence()
    {
        double speedup = 1.8;
        var held = At(LessonBudget.Full, () => Claim.That("4.faster", "fused is faster", holds: speedup >= 1.5, evidence: $"{speedup:F1}x", bar: "runs of the same code differ by 20% here"));
        Assert.Equal((QuizStatus.Correct, QuizKind.Claim, "✔ shown by this run"), (held.Status, held.Kind, held.Badge));
        Assert.Equal(["1.8x", "why this bar: runs of the same code differ by 20% here"], held.Feedback);
        Assert.Equal("[4.faster] Claim — ✔ shown by this run\n  fused is faster\n  → 1.8x\n  → why this bar: runs of the same code differ by 20% here", held.ToString());
        var missed = At(LessonBudget.Full, () => Claim.That("4.faster", "fused is faster", holds: speedup >= 2, evidence: $"{speedup:F1}x", bar: "b"));
        Assert.Equal((QuizStatus.Wrong, "✘ not shown by this run"), (missed.Status, missed.Badge));
        var quick = At(LessonBudget.Quick, () => Claim.That("4.faster", "fused is faster", holds: false, evidence: $"{speedup:F1}x", bar: "b"));
        Assert.Equal((QuizStatus.Unanswered, "○ checked on the full budget"), (quick.Status, quick.Badge));
    }

    [Fact]
    public void A_fact_is_checked_on_every_budget_and_never_reads_as_a_finding_of_the_run()
    {
        foreach (var budget in new[] { LessonBudget.Quick, LessonBudget.Full })
        {
            var holds = At(budget, () => Claim.Fact("6.widths", "an LSTM has four times the parameters", holds: 4 * 3 == 12, evidence: $"{4 * 3} = 12"));
            Assert.Equal((QuizStatus.Correct, QuizKind.Fact, "Fact", "✔ holds"), (holds.Status, holds.Kind, holds.Title, holds.Badge));
            var fails = At(budget, () => Claim.Fact("6.widths", "an LSTM has four times the parameters", holds: false, evidence: ""));
            Assert.Equal((QuizStatus.Wrong, "✘ does not hold"), (fails.Status, fails.Badge));
            Assert.DoesNotContain("run", holds.Badge + fails.Badge, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+∞")]
    [InlineData(double.NegativeInfinity, "-∞")]
    public void A_non_finite_number_in_the_evidence_fails_the_claim_even_when_its_condition_holds(double value, string named)
    {
        // !(x < 1) is true for a NaN: the condition alone would pass it.
        var r = At(LessonBudget.Full, () => Claim.That("5.x", "s", holds: !(value < 1), evidence: $"gap {value:E2} against {1.0:F1}", bar: "b"));
        Assert.Equal(QuizStatus.Wrong, r.Status);
        Assert.Contains(r.Feedback, f => f.StartsWith(Claim.NonFiniteLabel, StringComparison.Ordinal) && f.Contains(named, StringComparison.Ordinal));
        var single = At(LessonBudget.Full, () => Claim.That("5.x", "s", holds: true, evidence: $"{(float)value}", bar: "b"));
        Assert.Equal(QuizStatus.Wrong, single.Status);
        var fact = At(LessonBudget.Quick, () => Claim.Fact("5.f", "s", holds: true, evidence: $"{value}"));
        Assert.Equal(QuizStatus.Wrong, fact.Status);
    }

    [Fact]
    public void A_missing_number_or_text_showing_nan_in_a_hole_fails_but_finite_numbers_and_plain_text_do_not()
    {
        double? none = null;
        Assert.Equal(QuizStatus.Wrong, At(LessonBudget.Full, () => Claim.That("5.y", "s", holds: true, evidence: $"validation {none:F3}", bar: "b")).Status);
        string listed = string.Join(", ", new[] { 1.5, double.NaN }.Select(v => v.ToString("F2")));
        Assert.Equal(QuizStatus.Wrong, At(LessonBudget.Full, () => Claim.That("5.y", "s", holds: true, evidence: $"bits {listed}", bar: "b")).Status);
        double? some = 2.5;
        Assert.Equal(QuizStatus.Correct, At(LessonBudget.Full, () => Claim.That("5.y", "s", holds: true, evidence: $"validation {some:F3}, {3} steps", bar: "b")).Status);
        // A message given as a finished string (a divergence report, say) is shown as it is: only holes are numbers.
        string message = "loss became NaN at step 12";
        Assert.Equal(QuizStatus.Correct, At(LessonBudget.Full, () => Claim.That("5.z", "s", holds: true, evidence: message, bar: "b")).Status);
    }

    [Fact]
    public void Evidence_reads_exactly_as_the_same_interpolated_string()
    {
        double a = 1234.5678;
        float b = 0.000123f;
        int n = 42;
        string expected = $"{a,12:F2}|{b:E1}|{n,-5}|{a:P0}|{n:N0}";
        var r = At(LessonBudget.Full, () => Claim.That("x.y", "s", holds: true, evidence: $"{a,12:F2}|{b:E1}|{n,-5}|{a:P0}|{n:N0}", bar: "b"));
        Assert.Equal(expected, r.Feedback[0]);
    }

    [Fact]
    public void A_claim_without_a_bar_shows_no_bar_line_and_an_empty_id_is_refused()
    {
        var r = At(LessonBudget.Full, () => Claim.That("1.a", "s", holds: true, evidence: $"{1}"));
        Assert.DoesNotContain(r.Feedback, f => f.StartsWith(Claim.BarLabel, StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => Claim.That(" ", "s", holds: true, evidence: ""));
    }
}
