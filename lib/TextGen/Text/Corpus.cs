// A corpus: text from a string, a file or the catalog, normalised (BOM dropped, CRLF -> LF),
// with a contiguous train/validation split.
using System.Text;

namespace TextGen.Text;

/// <summary>A body of text to learn from.</summary>
public sealed class Corpus
{
    private Corpus(string name, string text)
    {
        Name = name;
        Text = text;
    }

    /// <summary>Catalog name or file name.</summary>
    public string Name { get; }

    /// <summary>The normalised text.</summary>
    public string Text { get; }

    /// <summary>Length in characters.</summary>
    public int Length => Text.Length;

    /// <summary>A corpus from a string (normalised like a file); an empty text is an error.</summary>
    public static Corpus FromString(string text, string name = "text")
    {
        var t = Normalize(text);
        if (t.Length == 0) throw new ArgumentException($"corpus '{name}' is empty: give it some text to learn from");
        return new Corpus(name, t);
    }

    /// <summary>
    /// Reads a UTF-8 file of any size (up to .NET's largest string) in two streaming passes. A BOM is dropped and CRLF
    /// becomes LF; invalid UTF-8 or NUL bytes are errors that give the byte offset; an empty file is an error.
    /// </summary>
    public static Corpus FromFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"corpus file '{path}' does not exist");
        if (new FileInfo(path).Length == 0) throw new ArgumentException($"corpus file '{path}' is empty: give it some text to learn from");
        // Streamed in two passes into one string (BOM and CRs of CRLF dropped on the way), so a large file is held once.
        var text = CorpusFileReader.Read(path);
        return new Corpus(Path.GetFileName(path), text);
    }

    /// <summary>
    /// Loads by catalog name (from the cache, downloading if needed; the checksum is verified on the file, then the
    /// catalog's normalisation applies) or by file path (read as it is).
    /// </summary>
    public static Corpus Load(string nameOrPath, CorpusCache? cache = null)
    {
        if (CorpusCatalog.TryFind(nameOrPath) is { } entry)
        {
            var c = FromFile((cache ?? CorpusCache.Default()).Fetch(entry));
            return new Corpus(entry.Name, CorpusCatalog.Normalize(entry, c.Text));
        }
        if (File.Exists(nameOrPath)) return FromFile(nameOrPath);
        throw new ArgumentException($"'{nameOrPath}' is neither a known corpus ({string.Join(", ", CorpusCatalog.Entries.Select(e => e.Name))}) nor an existing text file");
    }

    /// <summary>Splits ids contiguously: the first <paramref name="trainFraction"/> trains, the rest validates.</summary>
    public static (int[] Train, int[] Validation) Split(int[] ids, double trainFraction = 0.9)
    {
        if (trainFraction <= 0 || trainFraction >= 1) throw new ArgumentOutOfRangeException(nameof(trainFraction), $"train fraction {trainFraction} must be between 0 and 1");
        int cut = (int)(ids.Length * trainFraction);
        return (ids[..cut], ids[cut..]);
    }

    private static string Normalize(string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        return text.Contains('\r') ? text.Replace("\r\n", "\n") : text;
    }
}
