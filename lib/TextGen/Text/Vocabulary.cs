// Vocabulary: the two-way map between tokens and integer ids, saved as a JSON array in id order.
using System.Text.Json;

namespace TextGen.Text;

/// <summary>Token &lt;-&gt; id maps. Ids are positions in <see cref="Tokens"/>.</summary>
public sealed class Vocabulary
{
    private readonly string[] tokens;
    private readonly Dictionary<string, int> ids;

    /// <summary>Builds a vocabulary from tokens in id order; they must be distinct and non-empty in number.</summary>
    public Vocabulary(IEnumerable<string> tokens)
    {
        this.tokens = tokens.ToArray();
        if (this.tokens.Length == 0) throw new ArgumentException("vocabulary: no tokens; the text is empty");
        ids = new Dictionary<string, int>(this.tokens.Length, StringComparer.Ordinal);
        for (int i = 0; i < this.tokens.Length; i++)
        {
            if (this.tokens[i] is null) throw new ArgumentException($"vocabulary: token {i} is null");
            if (!ids.TryAdd(this.tokens[i], i)) throw new ArgumentException($"vocabulary: token '{Escape(this.tokens[i])}' appears twice (ids {ids[this.tokens[i]]} and {i})");
        }
    }

    /// <summary>Number of tokens.</summary>
    public int Count => tokens.Length;

    /// <summary>Tokens in id order.</summary>
    public IReadOnlyList<string> Tokens => tokens;

    /// <summary>Id of a token; throws when absent.</summary>
    public int IdOf(string token) => ids.TryGetValue(token, out var id) ? id : throw new KeyNotFoundException($"token '{Escape(token)}' is not in the vocabulary");

    /// <summary>Id of a token, or false when absent.</summary>
    public bool TryGetId(string token, out int id) => ids.TryGetValue(token, out id);

    /// <summary>Token of an id.</summary>
    public string TokenOf(int id) => (uint)id < (uint)tokens.Length ? tokens[id]
        : throw new ArgumentOutOfRangeException(nameof(id), $"id {id} is outside the vocabulary of size {tokens.Length}");

    /// <summary>Whether the token is known.</summary>
    public bool Contains(string token) => ids.ContainsKey(token);

    /// <summary>The tokens as a JSON array in id order.</summary>
    public string ToJson() => JsonSerializer.Serialize(tokens);

    /// <summary>Reads a JSON array of tokens.</summary>
    public static Vocabulary FromJson(string json)
    {
        string[]? t;
        try { t = JsonSerializer.Deserialize<string[]>(json); }
        catch (JsonException e) { throw new ArgumentException($"vocabulary: not a JSON array of strings ({e.Message})", e); }
        return new Vocabulary(t ?? throw new ArgumentException("vocabulary: JSON null"));
    }

    /// <summary>A token written so that control characters are visible, e.g. <c>\n</c> or <c>U+00E9</c>.</summary>
    public static string Escape(string token) => token switch
    {
        "\n" => "\\n",
        "\t" => "\\t",
        "\r" => "\\r",
        " " => "␣",
        _ => token.Length == 1 && char.IsControl(token[0]) ? $"U+{(int)token[0]:X4}" : token,
    };
}
