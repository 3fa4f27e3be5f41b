// Which tokenizer a run uses, and rebuilding one from what a checkpoint stores (kind, vocabulary, lower-casing).
using System.ComponentModel;
using System.Text.Json.Serialization;

namespace TextGen.Text;

/// <summary>The tokenizers a run can use; checkpoints and the CLI spell them <c>char</c> and <c>word</c>.</summary>
[Description("tokenizer")]
[JsonConverter(typeof(EnumNameJson<TokenizerKind>))]
public enum TokenizerKind
{
    /// <summary>One token per character (<see cref="CharTokenizer"/>).</summary>
    [JsonStringEnumMemberName("char")] Char,
    /// <summary>Words and punctuation, with &lt;unk&gt; for rare words (<see cref="WordTokenizer"/>).</summary>
    [JsonStringEnumMemberName("word")] Word,
}

/// <summary>Creates tokenizers by kind.</summary>
public static class TokenizerFactory
{
    /// <summary>A tokenizer over an existing vocabulary; lower-casing applies to words.</summary>
    public static ITokenizer Create(TokenizerKind kind, IEnumerable<string> vocabulary, bool lowerCase = false) => kind switch
    {
        TokenizerKind.Char => new CharTokenizer(new Vocabulary(vocabulary)),
        TokenizerKind.Word => new WordTokenizer(new Vocabulary(vocabulary), lowerCase),
    };

    /// <summary>
    /// A tokenizer whose vocabulary is built from <paramref name="text"/>; lower-casing and <paramref name="minCount"/> (rarer
    /// words become &lt;unk&gt;) apply to words.
    /// </summary>
    public static ITokenizer FromText(TokenizerKind kind, string text, bool lowerCase = false, int minCount = 1) => kind switch
    {
        TokenizerKind.Char => CharTokenizer.FromText(text),
        TokenizerKind.Word => WordTokenizer.FromText(text, lowerCase, minCount),
    };
}
