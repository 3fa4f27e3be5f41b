// Checks of lesson 3's check cells: an embedding layer of given sizes, and the multiply-adds of a one-hot
// input times an embedding table, worked out for sizes the lesson does not print.
using TextGen.Nn;

namespace TextGen.Course;

public static partial class Exercise
{
    /// <summary>The vocabulary of check 3.layer: Tiny Shakespeare's 65 characters.</summary>
    public const int LayerVocabulary = 65;

    /// <summary>The vector size of check 3.layer.</summary>
    public const int LayerVectorSize = 16;

    /// <summary>
    /// Lesson 3, "3.layer": passes when <paramref name="layer"/> is an embedding for <see cref="LayerVocabulary"/> tokens with
    /// vectors of <see cref="LayerVectorSize"/> numbers, that is a table of that many rows and columns.
    /// </summary>
    public static QuizResult EmbeddingLayer(string id, Embedding? layer)
    {
        const string what = "an embedding for 65 characters, vectors of 16";
        if (layer is null)
            return CheckResult.Open(id, what, "Create the layer in place of null and run the cell again.");
        var table = layer.Weight.ShapeString;
        if (layer.NumEmbeddings == LayerVocabulary && layer.EmbeddingDim == LayerVectorSize)
            return CheckResult.Pass(id, what, $"Its table is {table}: one row of {LayerVectorSize} numbers per character.");
        if (layer.NumEmbeddings == LayerVectorSize && layer.EmbeddingDim == LayerVocabulary)
            return CheckResult.Fail(id, what, $"The sizes are swapped: your table is {table}, so it has a row for only {LayerVectorSize} tokens. The table has one row per token.");
        return CheckResult.Fail(id, what, $"Your table is {table}: which of its sizes should count the characters, and which the numbers in each vector?");
    }

    /// <summary>
    /// Lesson 3, "3.cost": passes when <paramref name="multiplyAdds"/> is the number of multiply-adds of one-hot inputs
    /// (<paramref name="batch"/>, <paramref name="seqLen"/>, <paramref name="vocabulary"/>) times a (vocabulary, embeddingDim)
    /// table: every one of the batch × seqLen × embeddingDim output numbers is a sum of vocabulary products.
    /// </summary>
    public static QuizResult OneHotProductCost(string id, long? multiplyAdds, int batch, int seqLen, int vocabulary, int embeddingDim)
    {
        const string what = "multiply-adds of the one-hot product";
        if (multiplyAdds is null)
            return CheckResult.Open(id, what, "Write the count (a number or an expression of the four sizes) in place of null and run the cell again.");
        long tokens = (long)batch * seqLen, expected = tokens * vocabulary * embeddingDim, got = multiplyAdds.Value;
        if (got == expected)
            return CheckResult.Pass(id, what, $"{got:N0}: {tokens:N0} tokens × {embeddingDim} outputs each × {vocabulary:N0} products per output. The lookup copies {tokens * embeddingDim:N0} numbers instead.");
        if (got == unchecked((int)expected))
            return CheckResult.Fail(id, what, $"{got:N0} is what int arithmetic gives when the product passes int.MaxValue and wraps around: multiply as long.");
        if (got == tokens * vocabulary)
            return CheckResult.Fail(id, what, "That counts the one-hot entries, one per token and vocabulary entry; but every token has several output numbers, and each one needs its own sum.");
        if (got == tokens * embeddingDim)
            return CheckResult.Fail(id, what, "That is what the lookup copies; the product sums over the whole vocabulary for each of those numbers.");
        if (got == 2 * expected)
            return CheckResult.Fail(id, what, "That counts a multiply and an add separately (floating-point operations); count each multiply-add once.");
        return CheckResult.Fail(id, what, "Count the output numbers of the product first, then how many products each one sums.");
    }
}
