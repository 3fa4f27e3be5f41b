// A check cell's answer is not printed or defined beside it: every check declares the members that would compute its
// value (CheckGiveaways), no lesson names one before the check or in the check's section, and no code follows a
// check in its section. Each part is shown failing on a small made-up lesson.
using TextGen.Course;
using Xunit;

namespace TextGen.Tests.Notebooks;

public class CheckPlacementTests
{
    private static IEnumerable<(string Lesson, IReadOnlyList<LessonCell> Cells)> Lessons =>
        Course.LessonNames.Select(n => (n, LessonCell.Read(Path.Combine(Course.NotebooksDir, n))));

    [Fact]
    public void Every_check_of_the_lessons_declares_its_giveaways_and_each_names_a_real_member()
    {
        var marked = Lessons.SelectMany(l => l.Cells.SelectMany(CheckPlacement.ChecksIn)).ToHashSet();
        Assert.Empty(marked.Except(CheckGiveaways.ById.Keys));   // a new check adds its line to CheckGiveaways
        Assert.Empty(CheckGiveaways.ById.Keys.Except(marked));   // and a check that is gone takes it away
        foreach (var member in CheckGiveaways.ById.Values.SelectMany(m => m))
            Assert.NotNull(CheckPlacement.Pattern(member));      // throws, naming it, for a type or member that does not exist
    }

    [Theory]
    [MemberData(nameof(Course.Lessons), MemberType = typeof(Course))]
    public void No_lesson_names_a_checks_giveaway_before_it_or_in_its_section_and_no_code_follows_a_check_there(string lesson)
    {
        var problems = CheckPlacement.Violations(LessonCell.Read(Path.Combine(Course.NotebooksDir, lesson)), CheckGiveaways.Of).ToList();
        Assert.True(problems.Count == 0, $"{lesson}:\n{string.Join("\n", problems)}");
    }

    private static LessonCell Md(string text) => new(false, text);

    private static LessonCell Code(string text) => new(true, text);

    private static readonly LessonCell TemperatureCheck = Code(
        "float[] tempered = null; // ✎ 8.temp: softmax(toyLogits / T)\nExercise.TemperatureSoftmax(\"8.temp\", tempered, toyLogits, 0.5f)");

    [Fact]
    public void A_giveaway_named_before_the_check_is_caught_even_sections_earlier()
    {
        var lesson = new[]
        {
            Md("## One step"), Code("var p = new LogitsSampler(new SamplingOptions()).Distribution(logits).ToArray();"),
            Md("## Temperature"), TemperatureCheck,
        };
        var problem = Assert.Single(CheckPlacement.Violations(lesson, CheckGiveaways.Of));
        Assert.Contains("cell 1 names LogitsSampler.Distribution", problem);
        Assert.Contains("before the check", problem);
    }

    [Fact]
    public void A_giveaway_in_the_checks_section_is_caught_in_prose_too_and_allowed_after_the_next_heading()
    {
        var lesson = new[]
        {
            Md("## Temperature"), TemperatureCheck, Md("`Ops.Softmax(logits)` gives the same numbers."),
            Md("## Temperature on the model"), Code("var atT = sampler.Distribution(logits);"),
        };
        var problem = Assert.Single(CheckPlacement.Violations(lesson, CheckGiveaways.Of));
        Assert.Contains("cell 2 names Ops.Softmax", problem);
        Assert.Contains("in the check's section", problem);
    }

    [Fact]
    public void Code_that_follows_a_check_in_its_section_is_caught_even_without_a_library_call()
    {
        var lesson = new[]
        {
            Md("## Hidden units"), Code("Func<float[], bool[], double> gap = null; // ✎ 11.gap\nExercise.UnitGap(\"11.gap\", gap)"),
            Code("double Gap(float[] v, bool[] n) => v.Where((x, i) => n[i]).Average() - v.Where((x, i) => !n[i]).Average();"),
        };
        var problem = Assert.Single(CheckPlacement.Violations(lesson, CheckGiveaways.Of));
        Assert.Contains("code cell 2 follows it in its section", problem);
    }

    [Fact]
    public void A_check_without_declared_giveaways_is_caught_and_a_static_member_is_matched_only_on_its_type()
    {
        var lesson = new[] { Md("## New"), Code("int? n = null; // ✎ 2.unknown\nExercise.Count(\"2.unknown\", n)") };
        Assert.Contains("2.unknown (cell 1) declares no giveaways", Assert.Single(CheckPlacement.Violations(lesson, CheckGiveaways.Of)));
        Assert.Matches(CheckPlacement.Pattern("Corpus.Split"), "var (train, validation) = Corpus.Split(allIds, 0.9);");
        Assert.DoesNotMatch(CheckPlacement.Pattern("Corpus.Split"), "WordTokenizer.Split(sentence, lowerCase: true)");
        Assert.Matches(CheckPlacement.Pattern("TokenBatches.StepsPerEpoch"), "session.Trainer.Batches.StepsPerEpoch");
        Assert.Throws<ArgumentException>(() => CheckPlacement.Pattern("LogitsSampler.Distributon"));
    }
}
