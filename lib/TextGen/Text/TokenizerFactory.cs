// Rebuilding a tokenizer from what a checkpoint stores (kind, vocabulary, lower-casing).
namespace TextGen.Text;

/// <summary>Creates tokenizers by kind.</summary>
public static class TokenizerFactory
{
    /// <summary>A tokenizer over an existing vocabulary: "char" or "word".</summary>
    public static ITokenizer Create(string kind, IEnumerable<string> vocabulary, bool lowerCase = false) => kind switch
    {
        "char" => new CharTokenizer(new Vocabulary(vocabulary)),
        "word" => new WordTokenizer(new Vocabulary(vocabulary), lowerCase),
        _ => throw new ArgumentException($"tokenizer '{kind}' is unknown: use char or word"),
    };

    /// <summary>A tokenizer whose vocabulary is built from <paramref name="text"/>; lower-casing applies to words.</summary>
    public static ITokenizer FromText(string kind, string text, bool lowerCase = false, int minCount = 1) => kind switch
    {
        "char" => CharTokenizer.FromText(text),
        "word" => WordTokenizer.FromText(text, lowerCase, minCount),
        _ => throw new ArgumentException($"tokenizer '{kind}' is unknown: use char or word"),
    };
}
