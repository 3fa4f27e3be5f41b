// A hard-wrapped book as paragraphs, the catalog's "paragraphs" normalisation. The exact rule:
//   1. a line is blank when it holds nothing but spaces and tabs; a paragraph is a maximal run of lines that are not blank;
//   2. each line of a paragraph loses the spaces and tabs at both its ends, and the lines are joined with one space;
//   3. the paragraphs are written one per line: one "\n" after each, so one line break separates two paragraphs,
//      however many blank lines stood between them, and the text ends with one "\n".
// Nothing else changes: every word and punctuation mark stays, in the same order. A heading such as "Chapter 1"
// stands between blank lines in the book, so it stays a line of its own. Why: a book wrapped at 70 characters puts
// a line break inside nearly every sentence, and a word tokenizer that keeps line breaks (to keep paragraphs) then
// spends 8 % of its tokens on where the printer ended a line; with one line per paragraph it spends one per
// paragraph. It runs after the checksum is verified (and after the Gutenberg strip when the entry has both).
using System.Text;

namespace TextGen.Text;

/// <summary>Joins the hard-wrapped lines of each paragraph with a space and writes one paragraph per line.</summary>
public static class ParagraphText
{
    /// <summary>
    /// The text with one paragraph per line: the lines of a paragraph (a run of non-blank lines) trimmed of spaces
    /// and tabs at their ends and joined with one space, each paragraph followed by one line break. A text with no
    /// paragraph at all is an error.
    /// </summary>
    public static string Join(string text, string name = "text")
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length);
        bool inParagraph = false;
        foreach (var range in text.AsSpan().Split('\n'))
        {
            var line = text.AsSpan(range).Trim(" \t");
            if (line.IsEmpty)
            {
                if (inParagraph) sb.Append('\n');
                inParagraph = false;
                continue;
            }
            if (inParagraph) sb.Append(' ');
            sb.Append(line);
            inParagraph = true;
        }
        if (inParagraph) sb.Append('\n');
        if (sb.Length == 0) throw new InvalidDataException($"'{name}' is catalogued as paragraphs but holds no line with text; check that the file is the catalogued one");
        return sb.ToString();
    }
}
