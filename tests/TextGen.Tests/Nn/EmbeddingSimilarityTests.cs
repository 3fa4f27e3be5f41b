// Cosine similarity of embedding rows against closed forms: orthogonal rows give 0, a row and its multiple 1,
// (1, 0) and (1, 1) give 1/√2; group means average the distinct pairs; neighbours come most similar first.
using TextGen.Nn;
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests.Nn;

public class EmbeddingSimilarityTests
{
    // Rows: 0 = (1, 0), 1 = (0, 1), 2 = (1, 1), 3 = (-2, 0), 4 = (3, 0), 5 = (0, 0).
    private static Tensor Table() => Tensor.FromArray([1f, 0f, 0f, 1f, 1f, 1f, -2f, 0f, 3f, 0f, 0f, 0f], 6, 2);

    [Fact]
    public void Cosine_matches_the_closed_forms_and_ignores_length()
    {
        var t = Table();
        Assert.Equal(0, EmbeddingSimilarity.Cosine(t, 0, 1), 12);
        Assert.Equal(1 / Math.Sqrt(2), EmbeddingSimilarity.Cosine(t, 0, 2), 12);
        Assert.Equal(-1, EmbeddingSimilarity.Cosine(t, 0, 3), 12);
        Assert.Equal(1, EmbeddingSimilarity.Cosine(t, 0, 4), 12);
        Assert.Equal(EmbeddingSimilarity.Cosine(t, 2, 1), EmbeddingSimilarity.Cosine(t, 1, 2), 12);
        Assert.Equal(0, EmbeddingSimilarity.Cosine(t, 0, 5));   // a zero row has no direction
    }

    [Fact]
    public void Cosine_agrees_with_the_formula_on_random_rows()
    {
        var t = Tensor.Normal(new Generator(5), 0f, 1f, 4, 32);
        var u = t.Data.AsSpan(1 * 32, 32).ToArray();
        var v = t.Data.AsSpan(3 * 32, 32).ToArray();
        double dot = u.Zip(v, (a, b) => (double)a * b).Sum();
        double expected = dot / Math.Sqrt(u.Sum(a => (double)a * a) * v.Sum(b => (double)b * b));
        Assert.Equal(expected, EmbeddingSimilarity.Cosine(t, 1, 3), 10);
    }

    [Fact]
    public void Mean_cosine_averages_the_distinct_pairs_within_and_between_groups()
    {
        var t = Table();
        Assert.Equal((0 + 1 / Math.Sqrt(2)) / 2, EmbeddingSimilarity.MeanCosine(t, [0], [1, 2]), 12);
        // Within {0, 3, 4}: the ordered pairs (0,3) (0,4) (3,0) (3,4) (4,0) (4,3) give -1, 1, -1, -1, 1, -1.
        Assert.Equal(-1.0 / 3, EmbeddingSimilarity.MeanCosine(t, [0, 3, 4], [0, 3, 4]), 12);
        Assert.Throws<ArgumentException>(() => EmbeddingSimilarity.MeanCosine(t, [2], [2]));
    }

    [Fact]
    public void Nearest_leaves_the_row_out_and_orders_by_similarity_then_id()
    {
        var nearest = EmbeddingSimilarity.Nearest(Table(), 0, 3);
        Assert.Equal([4, 2, 1], nearest.Select(n => n.Id));   // 1, 1/√2, then 0 (row 1 before the zero row 5)
        Assert.Equal(1, nearest[0].Similarity, 12);
        Assert.Equal(5, EmbeddingSimilarity.Nearest(Table(), 0, 10).Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingSimilarity.Nearest(Table(), 6, 1));
        Assert.Throws<ArgumentException>(() => EmbeddingSimilarity.Cosine(Tensor.Zeros(2, 2, 2), 0, 1));
    }
}
