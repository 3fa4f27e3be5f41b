// The questions of lesson 3 (one-hot versus embeddings), in the course's quiz style: a level, choices, the answer,
// a hint that points the way, the mistake behind each wrong choice, and a worked solution.
namespace TextGen.Quiz;

public static partial class QuestionBank
{
    private static IEnumerable<Question> Lesson03() =>
    [
        Q("3.1", Level.Easy, "In new Embedding(10_000, 128), which argument is the vocabulary size?",
            ["10_000", "128", "Both", "Neither"], 1,
            "The table has one row per token.",
            [(2, "128 is the embedding size: the length of each vector."), (3, "They are two different sizes: rows and columns of the table.")],
            "Embedding(numEmbeddings, embeddingDim): rows = vocabulary size, columns = vector size.", "The table is (10_000, 128)."),
        Q("3.2", Level.Medium, "A one-hot vector times the embedding table gives...",
            ["The sum of all rows", "The row of that token", "A scalar", "The transposed table"], 2,
            "Multiply by a vector with a single 1.",
            [(1, "Only one entry is non-zero, so only one row survives.")],
            "Every zero entry removes its row from the product.", "The single 1 selects exactly one row: the token's embedding."),
        Q("3.3", Level.Hard, "For a word vocabulary of 50,000, why is one-hot input impractical?",
            ["It is less accurate", "Each input vector has 50,000 numbers, so memory and compute grow with the vocabulary", "PyTorch forbids it", "It cannot be differentiated"], 2,
            "Compare the input sizes.",
            [(1, "The model computes the same function either way.")],
            "One-hot input per token: V floats; embedded input: E floats.", "A product with a (V, E) matrix costs V x E per token instead of a lookup."),
    ];
}
