// Character and word tokenizers with the encode/decode vocabulary of Microsoft.ML.Tokenizers
// (EncodeToIds, Decode, CountTokens), and a clear error for tokens the vocabulary lacks.
using System.ComponentModel;
using System.Text;
using System.Text.Json.Serialization;

namespace TextGen.Text;

/// <summary>What to do with text the vocabulary cannot represent; the CLI spells it <c>error</c> or <c>skip</c>.</summary>
[Description("unknown-token policy")]
[JsonConverter(typeof(EnumNameJson<UnknownTokenPolicy>))]
public enum UnknownTokenPolicy
{
    /// <summary>Throw an <see cref="UnknownTokenException"/> naming the unknown tokens.</summary>
    [JsonStringEnumMemberName("error")] Error,
    /// <summary>Drop them (or map them to &lt;unk&gt; when the vocabulary has it).</summary>
    [JsonStringEnumMemberName("skip")] Skip,
}

/// <summary>Text contained tokens outside the vocabulary.</summary>
public sealed class UnknownTokenException(IReadOnlyList<string> unknown, string message) : ArgumentException(message)
{
    /// <summary>The distinct unknown tokens, in order of appearance.</summary>
    public IReadOnlyList<string> Unknown { get; } = unknown;
}

/// <summary>Turns text into token ids and back.</summary>
public interface ITokenizer
{
    /// <summary>Which tokenizer this is, as stored in checkpoints.</summary>
    TokenizerKind Kind { get; }
    /// <summary>The token &lt;-&gt; id maps.</summary>
    Vocabulary Vocabulary { get; }
    /// <summary>Number of distinct tokens.</summary>
    int VocabularySize { get; }
    /// <summary>Token ids of <paramref name="text"/>.</summary>
    int[] EncodeToIds(string text, UnknownTokenPolicy unknown = UnknownTokenPolicy.Error);
    /// <summary>Text of a sequence of ids.</summary>
    string Decode(IEnumerable<int> ids);
    /// <summary>Number of tokens in <paramref name="text"/> (unknown ones skipped).</summary>
    int CountTokens(string text);
}

/// <summary>One token per character (UTF-16 code unit); the vocabulary is the distinct characters sorted by code.</summary>
public sealed class CharTokenizer : ITokenizer
{
    private readonly int[] lookup = new int[char.MaxValue + 1];

    /// <summary>Uses an existing vocabulary of single characters.</summary>
    public CharTokenizer(Vocabulary vocabulary)
    {
        Vocabulary = vocabulary;
        Array.Fill(lookup, -1);
        for (int i = 0; i < vocabulary.Count; i++)
        {
            var t = vocabulary.Tokens[i];
            if (t.Length != 1) throw new ArgumentException($"char tokenizer: token '{Vocabulary.Escape(t)}' is not a single character");
            lookup[t[0]] = i;
        }
    }

    /// <summary>The vocabulary of the distinct characters of <paramref name="text"/>, sorted by code (65 for tiny Shakespeare).</summary>
    public static CharTokenizer FromText(string text)
    {
        if (string.IsNullOrEmpty(text)) throw new ArgumentException("char tokenizer: the text is empty, so there is no vocabulary to build");
        var seen = new bool[char.MaxValue + 1];
        foreach (var ch in text) seen[ch] = true;
        var chars = new List<string>();
        for (int c = 0; c <= char.MaxValue; c++) if (seen[c]) chars.Add(((char)c).ToString());
        return new CharTokenizer(new Vocabulary(chars));
    }

    /// <inheritdoc />
    public TokenizerKind Kind => TokenizerKind.Char;

    /// <inheritdoc />
    public int VocabularySize => Vocabulary.Count;

    /// <inheritdoc />
    public int CountTokens(string text) => EncodeToIds(text, UnknownTokenPolicy.Skip).Length;

    /// <inheritdoc />
    public Vocabulary Vocabulary { get; }

    /// <inheritdoc />
    public int[] EncodeToIds(string text, UnknownTokenPolicy unknown = UnknownTokenPolicy.Error)
    {
        var ids = new int[text.Length];
        int n = 0;
        List<string>? missing = null;
        foreach (var ch in text)
        {
            int id = lookup[ch];
            if (id >= 0) ids[n++] = id;
            else if (unknown == UnknownTokenPolicy.Error) (missing ??= []).Add(ch.ToString());
        }
        if (missing is not null) throw Unknown(missing.Distinct().ToList(), "characters");
        return n == ids.Length ? ids : ids[..n];
    }

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids)
    {
        var sb = new StringBuilder();
        foreach (var id in ids) sb.Append(Vocabulary.TokenOf(id));
        return sb.ToString();
    }

    internal static UnknownTokenException Unknown(List<string> missing, string what)
    {
        var shown = string.Join(", ", missing.Take(10).Select(t => t.Length == 1 ? $"'{Vocabulary.Escape(t)}' (U+{(int)t[0]:X4})" : $"'{t}'"));
        return new UnknownTokenException(missing,
            $"the text contains {what} not in the vocabulary: {shown}{(missing.Count > 10 ? $" and {missing.Count - 10} more" : "")}; " +
            "remove them, or use --unknown skip to drop them");
    }
}
