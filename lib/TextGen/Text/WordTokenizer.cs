// Word-level tokens: words, numbers and each punctuation mark, with optional lower-casing and
// <unk> for words seen fewer than a minimum number of times.
using System.Text;
using System.Text.RegularExpressions;

namespace TextGen.Text;

/// <summary>Splits text into words and punctuation; rarer words become <c>&lt;unk&gt;</c>.</summary>
public sealed partial class WordTokenizer : ITokenizer
{
    /// <summary>The token for words outside the vocabulary.</summary>
    public const string UnknownToken = "<unk>";

    /// <summary>The token for a line break, kept so generated text keeps its paragraphs.</summary>
    public const string NewlineToken = "\n";

    [GeneratedRegex(@"\n|[\p{L}\p{N}]+(?:['’][\p{L}]+)*|[^\s\p{L}\p{N}]", RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();

    /// <summary>Uses an existing vocabulary.</summary>
    public WordTokenizer(Vocabulary vocabulary, bool lowerCase = false)
    {
        Vocabulary = vocabulary;
        LowerCase = lowerCase;
    }

    /// <summary>Builds the vocabulary from <paramref name="text"/>: tokens seen at least <paramref name="minCount"/> times, by frequency, plus &lt;unk&gt;.</summary>
    public static WordTokenizer FromText(string text, bool lowerCase = false, int minCount = 1)
    {
        if (minCount < 1) throw new ArgumentOutOfRangeException(nameof(minCount), $"word tokenizer: minCount {minCount} must be at least 1");
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in Split(text, lowerCase)) counts[t] = counts.GetValueOrDefault(t) + 1;
        if (counts.Count == 0) throw new ArgumentException("word tokenizer: the text has no words, so there is no vocabulary to build");
        var kept = counts.Where(kv => kv.Value >= minCount).OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key);
        return new WordTokenizer(new Vocabulary(new[] { UnknownToken }.Concat(kept)), lowerCase);
    }

    /// <summary>The tokens of a text, before mapping to ids.</summary>
    public static IEnumerable<string> Split(string text, bool lowerCase)
    {
        foreach (Match m in TokenPattern().Matches(lowerCase ? text.ToLowerInvariant() : text)) yield return m.Value;
    }

    /// <summary>Whether text is lower-cased before splitting.</summary>
    public bool LowerCase { get; }

    /// <inheritdoc />
    public TokenizerKind Kind => TokenizerKind.Word;

    /// <inheritdoc />
    public int VocabularySize => Vocabulary.Count;

    /// <inheritdoc />
    public int CountTokens(string text) => EncodeToIds(text, UnknownTokenPolicy.Skip).Length;

    /// <inheritdoc />
    public Vocabulary Vocabulary { get; }

    /// <inheritdoc />
    public int[] EncodeToIds(string text, UnknownTokenPolicy unknown = UnknownTokenPolicy.Error)
    {
        var ids = new List<int>();
        bool hasUnk = Vocabulary.TryGetId(UnknownToken, out int unk);
        List<string>? missing = null;
        foreach (var t in Split(text, LowerCase))
        {
            if (Vocabulary.TryGetId(t, out int id)) ids.Add(id);
            else if (hasUnk) ids.Add(unk);
            else if (unknown == UnknownTokenPolicy.Error) (missing ??= []).Add(t);
        }
        if (missing is not null) throw CharTokenizer.Unknown(missing.Distinct().ToList(), "words");
        return [.. ids];
    }

    /// <summary>
    /// The text of a sequence of ids: tokens separated by a space, except that punctuation joins the word before it, a
    /// hyphen joins both neighbours, and a straight double quote or an underscore (italics in Gutenberg texts) opens when
    /// an even number of them came before it in its paragraph (joining the word after it) and closes otherwise (joining
    /// the word before it).
    /// </summary>
    public string Decode(IEnumerable<int> ids)
    {
        var sb = new StringBuilder();
        int quotes = 0, underscores = 0;
        bool joinNext = false;
        foreach (var id in ids)
        {
            var t = Vocabulary.TokenOf(id);
            bool opens = false, joinsBefore = t == NewlineToken || t.Length == 1 && ".,;:!?)]}'’-".Contains(t[0]);
            if (t is "\"" or "_")
            {
                ref int count = ref t == "\"" ? ref quotes : ref underscores;
                opens = count++ % 2 == 0;
                joinsBefore = !opens;
            }
            if (sb.Length > 0 && sb[^1] != '\n' && !joinNext && !joinsBefore) sb.Append(' ');
            sb.Append(t);
            joinNext = opens || t == "-" || t.Length == 1 && IsOpening(t[0]);
            // A speech that runs over paragraphs is not closed at a paragraph's end but opened again on the next.
            if (t == NewlineToken) quotes = underscores = 0;
        }
        return sb.ToString();
    }

    private static bool IsOpening(char c) => c is '(' or '[' or '{';
}
