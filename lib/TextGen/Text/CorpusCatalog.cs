// The corpus catalog (data/catalog.json): name, download URL, byte size and SHA-256 of each corpus, and
// the normalisations its text gets after the checksum ("normalize": "gutenberg,paragraphs" = the Project
// Gutenberg boilerplate removed, then the hard-wrapped lines joined into paragraphs). A copy is compiled in,
// so the library works outside the repository too.
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TextGen.Text;

/// <summary>What is done to a catalogued file's text after its checksum is verified; several combine (the catalog's <c>normalize</c> names them, separated by commas), applied in the order listed here.</summary>
[Flags]
[Description("normalization")]
[JsonConverter(typeof(EnumNameJson<CorpusNormalization>))]
public enum CorpusNormalization
{
    /// <summary>Nothing beyond the usual BOM and line-ending rules.</summary>
    [JsonStringEnumMemberName("none")] None = 0,
    /// <summary>The Project Gutenberg header, licence, credit and trailer lines are removed (<see cref="GutenbergText"/>).</summary>
    [JsonStringEnumMemberName("gutenberg")] Gutenberg = 1,
    /// <summary>The hard-wrapped lines of each paragraph are joined with a space, one paragraph per line (<see cref="ParagraphText"/>).</summary>
    [JsonStringEnumMemberName("paragraphs")] Paragraphs = 2,
}

/// <summary>One catalog entry.</summary>
public sealed record CatalogEntry(string Name, string File, string Url, long Bytes, string Sha256, string Description,
    CorpusNormalization Normalization = CorpusNormalization.None);

/// <summary>The corpora TextGen knows by name.</summary>
public static class CorpusCatalog
{
    // Kept identical to data/catalog.json (a test compares them).
    internal const string EmbeddedJson = """
    {
      "tinyshakespeare": { "file": "tinyshakespeare.txt", "url": "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt", "bytes": 1115394, "sha256": "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed", "description": "About 40,000 lines of Shakespeare's plays (char-rnn's corpus); 65 distinct characters" },
      "pride-and-prejudice": { "file": "pride_and_prejudice.txt", "url": "https://raw.githubusercontent.com/cytora/pycon-nlp-in-10-lines/5b124981c67e47c526afeb41fc88834f64d6d863/data/pride_and_prejudice.txt", "bytes": 704145, "sha256": "859c908774105fe56669e355156f2c9db0fe4ad2b6b67c068e3f8731aae55a99", "description": "Jane Austen, Pride and Prejudice, text from Project Gutenberg #1342", "normalize": "gutenberg,paragraphs" },
      "timemachine": { "file": "timemachine.txt", "url": "https://raw.githubusercontent.com/d2l-ai/d2l-zh/3e36f4a77b1be16f39b372518af5ad288b1ed6c4/data/timemachine.txt", "bytes": 178979, "sha256": "8424dbd9532ac81f7e5f0b6add90e6952baea29158309d7d1bf3884f4e12c516", "description": "H. G. Wells, The Time Machine (the file the d2l book uses)" }
    }
    """;

    private static readonly Lazy<IReadOnlyList<CatalogEntry>> entries = new(() => Parse(EmbeddedJson));

    /// <summary>All entries.</summary>
    public static IReadOnlyList<CatalogEntry> Entries => entries.Value;

    /// <summary>Parses catalog JSON.</summary>
    public static IReadOnlyList<CatalogEntry> Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateObject().Select(p => new CatalogEntry(p.Name,
            p.Value.GetProperty("file").GetString()!, p.Value.GetProperty("url").GetString()!,
            p.Value.GetProperty("bytes").GetInt64(), p.Value.GetProperty("sha256").GetString()!,
            p.Value.GetProperty("description").GetString()!,
            p.Value.TryGetProperty("normalize", out var n) ? ParseNormalization(p.Name, n.GetString()!) : CorpusNormalization.None)).ToList();
    }

    /// <summary>
    /// The text of a catalogued file after its entry's normalisations: the Gutenberg strip first, then the paragraphs
    /// (the order of <see cref="CorpusNormalization"/>, whatever the order of the names in the catalog).
    /// </summary>
    public static string Normalize(CatalogEntry entry, string text)
    {
        if (entry.Normalization.HasFlag(CorpusNormalization.Gutenberg)) text = GutenbergText.Strip(text, entry.Name);
        if (entry.Normalization.HasFlag(CorpusNormalization.Paragraphs)) text = ParagraphText.Join(text, entry.Name);
        return text;
    }

    // "gutenberg,paragraphs": names separated by commas; an unknown name is an error that lists the known ones.
    private static CorpusNormalization ParseNormalization(string corpus, string names)
    {
        var result = CorpusNormalization.None;
        foreach (var name in names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!EnumNames.TryParse<CorpusNormalization>(name, out var one))
                throw new FormatException($"catalog entry '{corpus}': normalisation '{name}' is unknown; use {string.Join(", ", EnumNames.All<CorpusNormalization>().Skip(1))}, separated by commas");
            result |= one;
        }
        return result;
    }

    /// <summary>The entry of a name, or null.</summary>
    public static CatalogEntry? TryFind(string name) =>
        Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The entry of a name; an unknown name lists the known ones.</summary>
    public static CatalogEntry Find(string name) => TryFind(name)
        ?? throw new ArgumentException($"unknown corpus '{name}': known corpora are {string.Join(", ", Entries.Select(e => e.Name))}, or give a path to a text file");
}
