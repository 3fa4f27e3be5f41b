// Word decoding puts spaces where prose has them: straight quotes and underscores open and close by parity within a
// paragraph, hyphens and dashes join their neighbours; on the book, 2,088 of its 2,126 paragraphs come back exactly.
using TextGen.Text;
using Xunit;

namespace TextGen.Tests.Text;

public class WordDecodingTests
{
    [Theory]
    [InlineData("\"Is he married or single?\"")]
    [InlineData("\"My dear Mr. Bennet,\" said his lady to him one day, \"have you heard?\"")]
    [InlineData("I certainly _have_ had my share of beauty, but _you_ want to tell me.")]
    [InlineData("She was good-humoured and over-scrupulous--surely.")]
    [InlineData("\"It runs over two paragraphs,\n\"and opens again on the next.\"")]
    [InlineData("(as she said) a [note] here.")]
    public void Quotes_italics_hyphens_and_dashes_come_back_as_they_were_written(string text)
    {
        var tok = WordTokenizer.FromText(text);
        Assert.Equal(text, tok.Decode(tok.EncodeToIds(text)));
    }

    [Fact]
    public void Decoding_a_prefix_gives_a_prefix_of_the_whole_so_generation_can_stream_it()
    {
        const string text = "\"Oh! Single, my dear,\" she cried, \"to be _sure_--a single man!\"";
        var tok = WordTokenizer.FromText(text);
        var ids = tok.EncodeToIds(text);
        for (int n = 0; n <= ids.Length; n++) Assert.StartsWith(tok.Decode(ids[..n]), text);
    }

    [Fact]
    public void Nearly_every_paragraph_of_the_book_decodes_back_to_itself()
    {
        TextGen.Tests.Notebooks.Course.EnsureCorpora();
        var text = Corpus.Load("pride-and-prejudice").Text.ToLowerInvariant();
        var tok = WordTokenizer.FromText(text, lowerCase: true);
        var paragraphs = text.Split('\n')[..^1];
        // the rest hold single quotes inside speech ('yes,') or a blank such as "the ----shire", which words cannot tell apart
        Assert.Equal(2088, paragraphs.Count(p => tok.Decode(tok.EncodeToIds(p)) == p));
        Assert.Equal(2126, paragraphs.Length);
    }
}
