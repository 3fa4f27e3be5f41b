// Project Gutenberg's boilerplate taken off a text, as the catalog's documented normalisation for PG files:
// keep the lines strictly between the "*** START OF ..." and "*** END OF ..." markers, drop PG's credit
// ("Produced by ...") and trailer ("End of the Project Gutenberg EBook of ...") lines inside them, and trim
// blank lines at both ends. The checksum is verified on the downloaded bytes before this runs.
namespace TextGen.Text;

/// <summary>Removes the Project Gutenberg header, licence and credit lines from a PG plain-text file.</summary>
public static class GutenbergText
{
    /// <summary>The text of the book alone, ending with one line break; a text without both markers is an error.</summary>
    public static string Strip(string text, string name = "text")
    {
        var lines = text.Split('\n');
        int start = Array.FindIndex(lines, IsStart), end = Array.FindIndex(lines, start + 1, l => l.StartsWith("*** END OF", StringComparison.OrdinalIgnoreCase));
        if (start < 0 || end < 0)
            throw new InvalidDataException($"'{name}' is catalogued as a Project Gutenberg text but has no \"*** START OF\" / \"*** END OF\" markers; check that the file is the catalogued one");
        var body = lines[(start + 1)..end].Where(l => !IsCredit(l) && !IsTrailer(l)).ToList();
        int first = body.FindIndex(l => l.Trim().Length > 0), last = body.FindLastIndex(l => l.Trim().Length > 0);
        if (first < 0) throw new InvalidDataException($"'{name}' has nothing between its Project Gutenberg markers");
        return string.Join('\n', body.Skip(first).Take(last - first + 1)) + "\n";
    }

    private static bool IsStart(string line) => line.StartsWith("*** START OF", StringComparison.OrdinalIgnoreCase);
    private static bool IsCredit(string line) => line.StartsWith("Produced by ", StringComparison.Ordinal);
    private static bool IsTrailer(string line) => line.StartsWith("End of the Project Gutenberg", StringComparison.OrdinalIgnoreCase)
        || line.StartsWith("End of Project Gutenberg", StringComparison.OrdinalIgnoreCase);
}
