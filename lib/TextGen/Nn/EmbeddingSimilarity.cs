// Cosine similarity between the rows of an embedding table: which tokens a model's vectors treat alike.
// Lesson 3 compares groups of characters (vowels, punctuation) in a table before and after training.
using TextGen.Tensors;

namespace TextGen.Nn;

/// <summary>Similarity of embedding vectors: cos(u, v) = u·v / (|u| |v|), from -1 (opposite) through 0 (unrelated) to 1 (same direction).</summary>
public static class EmbeddingSimilarity
{
    /// <summary>The cosine similarity of rows <paramref name="a"/> and <paramref name="b"/> of <paramref name="table"/> (V, E); 0 when either row is all zeros.</summary>
    /// <param name="table">An embedding table, one row per token.</param>
    /// <param name="a">Row (token id) of the first vector.</param>
    /// <param name="b">Row (token id) of the second vector.</param>
    public static double Cosine(Tensor table, int a, int b)
    {
        CheckRow(table, a);
        CheckRow(table, b);
        int e = table.Size(1);
        var u = table.Data.AsSpan(a * e, e);
        var v = table.Data.AsSpan(b * e, e);
        // Summed in double: the value is compared across groups to two decimals, so float rounding must not show.
        double dot = 0, uu = 0, vv = 0;
        for (int k = 0; k < e; k++)
        {
            dot += (double)u[k] * v[k];
            uu += (double)u[k] * u[k];
            vv += (double)v[k] * v[k];
        }
        return uu == 0 || vv == 0 ? 0 : dot / Math.Sqrt(uu * vv);
    }

    /// <summary>
    /// The mean cosine similarity over every pair of rows (a, b) with a in <paramref name="first"/>, b in <paramref name="second"/>
    /// and a ≠ b: within a group when both lists are the same, between groups otherwise.
    /// </summary>
    /// <param name="table">An embedding table, one row per token.</param>
    /// <param name="first">Rows of the first group.</param>
    /// <param name="second">Rows of the second group.</param>
    public static double MeanCosine(Tensor table, IReadOnlyList<int> first, IReadOnlyList<int> second)
    {
        double sum = 0;
        int pairs = 0;
        foreach (int a in first)
            foreach (int b in second)
                if (a != b)
                {
                    sum += Cosine(table, a, b);
                    pairs++;
                }
        return pairs > 0 ? sum / pairs : throw new ArgumentException("mean cosine: the two groups give no pair of distinct rows");
    }

    /// <summary>The <paramref name="k"/> rows most similar to row <paramref name="row"/> (itself left out), most similar first; ties keep the lower id first.</summary>
    /// <param name="table">An embedding table, one row per token.</param>
    /// <param name="row">The row (token id) whose neighbours are wanted.</param>
    /// <param name="k">How many neighbours to return (fewer when the table is smaller).</param>
    public static IReadOnlyList<(int Id, double Similarity)> Nearest(Tensor table, int row, int k)
    {
        CheckRow(table, row);
        if (k < 0) throw new ArgumentOutOfRangeException(nameof(k), $"nearest: k {k} must be 0 or more");
        return Enumerable.Range(0, table.Size(0)).Where(j => j != row)
            .Select(j => (Id: j, Similarity: Cosine(table, row, j)))
            .OrderByDescending(p => p.Similarity).ThenBy(p => p.Id)
            .Take(k).ToList();
    }

    private static void CheckRow(Tensor table, int row)
    {
        if (table.Rank != 2) throw new ArgumentException($"embedding similarity: the table must be (vocabulary, embedding), got {table.ShapeString}");
        if ((uint)row >= (uint)table.Size(0)) throw new ArgumentOutOfRangeException(nameof(row), $"embedding similarity: row {row} is outside the table's {table.Size(0)} rows");
    }
}
