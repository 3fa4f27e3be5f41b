// Lesson code a learner can read: the rendered notebook clips code lines past about 100 characters, so no line of a
// lesson's or a solutions notebook's code cells is longer than that.
using Xunit;

namespace TextGen.Tests.Notebooks;

public class CodeWidthTests
{
    /// <summary>The longest code line a notebook may have, in characters.</summary>
    public const int Width = 100;

    /// <summary>The code lines of <paramref name="cells"/> longer than <see cref="Width"/>: cell, line and length.</summary>
    public static IEnumerable<string> LongLines(IReadOnlyList<LessonCell> cells) =>
        cells.Select((cell, index) => (cell, index)).Where(c => c.cell.IsCode)
            .SelectMany(c => c.cell.Source.Split('\n').Select((line, k) => (line, k))
                .Where(l => l.line.TrimEnd('\r').Length > Width)
                .Select(l => $"cell {c.index}, line {l.k + 1}: {l.line.Length} characters: {l.line.Trim()[..Math.Min(60, l.line.Trim().Length)]}…"));

    public static TheoryData<string> Notebooks() => new(LessonCell.AllNotebooks().Select(p => Path.GetRelativePath(Course.NotebooksDir, p)));

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Every_code_line_of_the_lessons_and_their_solutions_fits_in_100_characters(string notebook)
    {
        var lines = LongLines(LessonCell.Read(Path.Combine(Course.NotebooksDir, notebook))).ToList();
        Assert.True(lines.Count == 0, $"{notebook}: {lines.Count} code lines over {Width} characters:\n{string.Join("\n", lines)}");
    }

    [Fact]
    public void A_line_one_character_too_long_is_caught_and_markdown_is_left_to_wrap()
    {
        var cells = new[]
        {
            new LessonCell(true, "var x = 1;\n" + new string('y', Width + 1)),
            new LessonCell(true, new string('z', Width)),
            new LessonCell(false, new string('w', 3 * Width)),
        };
        Assert.StartsWith($"cell 0, line 2: {Width + 1} characters", Assert.Single(LongLines(cells)));
    }
}
