// Tokenizers and vocabularies: sizes, round trips, unknown tokens.
using TextGen.Text;
using Xunit;

namespace TextGen.Tests.Text;

public class TokenizerTests
{
    [Fact]
    public void Tiny_shakespeare_has_65_characters_and_round_trips()
    {
        var text = File.ReadAllText(SharedData.File("tinyshakespeare.txt"));
        var tok = CharTokenizer.FromText(text);
        Assert.Equal(65, tok.Vocabulary.Count);
        Assert.Equal("\n", tok.Vocabulary.TokenOf(0));
        Assert.Equal(" ", tok.Vocabulary.TokenOf(1));
        var ids = tok.EncodeToIds(text);
        Assert.Equal(text.Length, ids.Length);
        Assert.Equal(text, tok.Decode(ids));
    }

    [Fact]
    public void Unknown_characters_are_named_with_their_code_points_and_the_fix()
    {
        var tok = CharTokenizer.FromText("abc ");
        var ex = Assert.Throws<UnknownTokenException>(() => tok.EncodeToIds("a café ß"));
        Assert.Contains("'é' (U+00E9)", ex.Message);
        Assert.Contains("'ß' (U+00DF)", ex.Message);
        Assert.Contains("--unknown skip", ex.Message);
        Assert.Equal(["f", "é", "ß"], ex.Unknown);
        Assert.Equal("a ca ", tok.Decode(tok.EncodeToIds("a café ß", UnknownTokenPolicy.Skip)));
    }

    [Fact]
    public void Word_tokenizer_splits_punctuation_lowercases_and_maps_rare_words_to_unk()
    {
        var tok = WordTokenizer.FromText("The cat sat. The cat ran!\nA dog sat.", lowerCase: true, minCount: 2);
        Assert.Equal(["the", "cat", "sat", "."], WordTokenizer.Split("The cat sat.", true));
        Assert.Equal(WordTokenizer.UnknownToken, tok.Vocabulary.TokenOf(0));
        Assert.True(tok.Vocabulary.Contains("cat"));
        Assert.False(tok.Vocabulary.Contains("dog")); // seen once
        var ids = tok.EncodeToIds("The dog sat.");
        Assert.Equal("the <unk> sat.", tok.Decode(ids));
        Assert.Equal(4, tok.CountTokens("The dog sat."));
    }

    [Fact]
    public void Word_decoding_attaches_punctuation_and_keeps_line_breaks()
    {
        var text = "Mr. Darcy was quite proud, he said.\nShe laughed!";
        var tok = WordTokenizer.FromText(text);
        Assert.Equal(text, tok.Decode(tok.EncodeToIds(text)));
    }

    [Fact]
    public void Vocabulary_round_trips_through_json_and_rejects_duplicates()
    {
        var v = new Vocabulary(["\n", " ", "a", "\"q\""]);
        var back = Vocabulary.FromJson(v.ToJson());
        Assert.Equal(v.Tokens, back.Tokens);
        Assert.Equal(2, back.IdOf("a"));
        Assert.Contains("appears twice", Assert.Throws<ArgumentException>(() => new Vocabulary(["a", "b", "a"])).Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => new Vocabulary([])).Message);
        Assert.Throws<ArgumentException>(() => CharTokenizer.FromText(""));
    }
}
