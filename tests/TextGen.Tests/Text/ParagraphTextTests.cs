// The catalog's "paragraphs" normalisation: its rule on small texts, and what it makes of Pride and Prejudice.
using System.Text.RegularExpressions;
using TextGen.Text;
using Xunit;

namespace TextGen.Tests.Text;

public class ParagraphTextTests
{
    [Fact]
    public void Lines_of_a_paragraph_are_joined_with_one_space_and_paragraphs_become_one_line_each()
    {
        Assert.Equal("a b c\nd\ne f\n", ParagraphText.Join("a\nb\nc\n\nd\n\n\n\ne\nf"));
        // ends trimmed where lines meet, a line of spaces and tabs is blank, spaces inside a line are kept
        Assert.Equal("one  two three\n* * *\nfour\n", ParagraphText.Join("\n \none  two \t\n  three\n \t \n      * * *\n\nfour\n\n"));
        Assert.Equal("x\n", ParagraphText.Join("x"));
    }

    [Fact]
    public void A_text_with_no_paragraph_is_refused_with_the_reason()
    {
        var e = Assert.Throws<InvalidDataException>(() => ParagraphText.Join(" \n\t\n\n", "austen"));
        Assert.Contains("'austen'", e.Message);
        Assert.Contains("no line with text", e.Message);
    }

    [Fact]
    public void The_catalog_reads_several_normalisations_in_any_order_and_refuses_an_unknown_one()
    {
        static string Entry(string normalize) =>
            $$"""{ "x": { "file": "x.txt", "url": "u", "bytes": 1, "sha256": "h", "description": "d", "normalize": "{{normalize}}" } }""";
        var both = CorpusNormalization.Gutenberg | CorpusNormalization.Paragraphs;
        Assert.Equal(both, CorpusCatalog.Parse(Entry("gutenberg,paragraphs"))[0].Normalization);
        Assert.Equal(both, CorpusCatalog.Parse(Entry("Paragraphs, gutenberg"))[0].Normalization);
        Assert.Equal(CorpusNormalization.Paragraphs, CorpusCatalog.Parse(Entry("paragraphs"))[0].Normalization);
        Assert.Equal(both, CorpusCatalog.Find("pride-and-prejudice").Normalization);
        var e = Assert.Throws<FormatException>(() => CorpusCatalog.Parse(Entry("gutenberg,paragraph")));
        Assert.Contains("'paragraph'", e.Message);
        Assert.Contains("gutenberg, paragraphs", e.Message);
        Assert.Throws<FormatException>(() => CorpusCatalog.Parse(Entry("3")));
        // the Gutenberg strip runs first, whatever the order of the names: its markers are lines of their own
        var entry = CorpusCatalog.Parse(Entry("paragraphs,gutenberg"))[0];
        Assert.Equal("Chapter 1\nIt is a truth universally acknowledged.\n",
            CorpusCatalog.Normalize(entry, "*** START OF IT ***\n\nChapter 1\n\nIt is a truth\nuniversally acknowledged.\n*** END OF IT ***\n"));
    }

    [Fact]
    public void Austen_is_loaded_as_paragraphs_with_the_same_words_in_the_same_order()
    {
        TextGen.Tests.Notebooks.Course.EnsureCorpora();
        var wrapped = File.ReadAllText(SharedData.File("pride_and_prejudice.clean.txt"));   // the Gutenberg strip alone
        var austen = Corpus.Load("pride-and-prejudice").Text;
        var lines = austen.Split('\n')[..^1];   // the text ends with one line break

        // one line per paragraph: as many lines as the wrapped text has runs of non-blank lines, none of them empty
        int paragraphs = Regex.Split(wrapped.Trim(), @"\n[ \t]*\n(?:[ \t]*\n)*").Length;
        Assert.Equal(2126, paragraphs);
        Assert.Equal(paragraphs, lines.Length);
        Assert.DoesNotContain(lines, l => l.Trim().Length == 0 || l != l.Trim());
        Assert.EndsWith(".\n", austen);
        Assert.Contains("It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want of a wife.", lines);
        Assert.True(wrapped.Split('\n').Max(l => l.Length) <= 80 && lines.Max(l => l.Length) > 3000);
        // headings stay lines of their own
        Assert.Equal(["PRIDE AND PREJUDICE", "By Jane Austen", "Chapter 1"], lines[..3]);
        Assert.Equal(61, lines.Count(l => Regex.IsMatch(l, @"^Chapter \d+$")));
        Assert.Equal(wrapped.Split('\n').Count(l => Regex.IsMatch(l, @"^Chapter \d+$")), lines.Count(l => Regex.IsMatch(l, @"^Chapter \d+$")));

        // the line breaks the word tokenizer sees: one per paragraph instead of one per printed line
        var before = WordTokenizer.Split(wrapped, lowerCase: true).ToList();
        var after = WordTokenizer.Split(austen, lowerCase: true).ToList();
        double shareBefore = before.Count(t => t == WordTokenizer.NewlineToken) / (double)before.Count;
        double shareAfter = after.Count(t => t == WordTokenizer.NewlineToken) / (double)after.Count;
        Assert.InRange(shareBefore, 0.08, 0.085);
        Assert.Equal(paragraphs, after.Count(t => t == WordTokenizer.NewlineToken));
        Assert.InRange(shareAfter, 0.013, 0.015);

        // otherwise unchanged: the same word tokens in the same order, the same characters apart from white space
        Assert.Equal(before.Where(t => t != WordTokenizer.NewlineToken), after.Where(t => t != WordTokenizer.NewlineToken));
        Assert.Equal(wrapped.Where(c => !char.IsWhiteSpace(c)), austen.Where(c => !char.IsWhiteSpace(c)));
        Assert.Equal(wrapped.Distinct().Order(), austen.Distinct().Order());
    }
}
