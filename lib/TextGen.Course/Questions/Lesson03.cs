// The questions of lesson 3 (one-hot versus embeddings), in the course's quiz style: a level, choices, the answer,
// a hint that points the way, the mistake behind each wrong choice, and a worked solution.
namespace TextGen.Course;

public static partial class QuestionBank
{
    private static IEnumerable<Question> Lesson03() =>
    [
        Q("3.1", Level.Easy, "new Embedding(10_000, 128) reads a batch of ids of shape (32, 100). What are the shapes of its table and of its output?",
            ["table (128, 10,000), output (32, 100, 128)", "table (10,000, 128), output (32, 100, 128)", "table (10,000, 128), output (32, 100, 10,000)", "table (10,000, 128), output (32, 128)"], 2,
            "Which of the two sizes counts tokens, and which counts the numbers in one vector?",
            [(1, "The sizes are swapped: the first argument is the number of rows, one per token of the vocabulary."),
             (3, "That is the one-hot input's shape; an embedding gives each token a vector of the embedding size."),
             (4, "Every token gets its own vector, so the sequence dimension stays.")],
            "Embedding(numEmbeddings, embeddingDim): the table has one row per vocabulary entry, so it is (10,000, 128).",
            "Each of the 32 × 100 ids picks a row of 128 numbers: the output is (32, 100, 128)."),
        Q("3.2", Level.Medium, "A one-hot vector for token 3 (a 1 at position 3, zeros elsewhere) times an embedding table of shape (V, E) gives...",
            ["The sum of all V rows of the table", "A single number, the table's entry at row 3", "Column 3 of the table, with V numbers", "Row 3 of the table, with E numbers"], 4,
            "Write out the product for a vector with a single 1: which entries of the table are multiplied by it?",
            [(1, "Every zero removes its row from the sum; only the row under the 1 survives."),
             (2, "A vector times a matrix gives a vector, one number per column of the matrix."),
             (3, "The product combines rows, one per vector entry; the result has one number per column, E of them.")],
            "Entry j of the result is Σ_v onehot_v × table[v, j] = table[3, j].", "So the product is row 3 of the table: exactly what the lookup returns."),
        Q("3.3", Level.Hard, "For a word vocabulary of 50,000, why is one-hot input impractical?",
            ["Each token costs 50,000 inputs and multiply-adds per output", "One-hot vectors carry less information about a token than embeddings", "Gradients cannot flow back through a one-hot input to the table", "It computes a different function from the embedding lookup"], 1,
            "Compare the size of one token's input, and the work of the first layer, in the two cases.",
            [(2, "Both identify the token exactly; an embedding is a one-hot vector times a table."),
             (3, "The gradient reaches the table's rows through the product just as through the lookup."),
             (4, "This lesson shows that the lookup equals one-hot times the table, to the last bit.")],
            "One-hot input per token: V numbers; embedded input: E numbers.",
            "The product with a (V, E) table costs V multiply-adds per output number, where the lookup copies one; memory grows with V too."),
        Q("3.4", Level.Medium, "Use the memory table above: how much memory does the one-hot input take for a batch of 64 sequences of 100 words over a 10,000-word vocabulary?",
            ["128 MB", "0.8 MB", "256 MB", "512 MB"], 3,
            "Find the row for that vocabulary, then see which of the batch's sizes changed.",
            [(1, "That is the table's batch of 32 sequences; this batch has twice as many."),
             (2, "That is the embedded input, which does not depend on the vocabulary."),
             (4, "Only the number of sequences doubled; the sequence length is still 100.")],
            "The table gives 128 MB for 32 × 100 tokens over 10,000 entries (4 bytes each).",
            "64 sequences double the tokens, so the one-hot input takes 256 MB.") with { AboutOutput = true },
        Q("3.5", Level.Medium, "In the cell that writes three training steps by hand, you delete the line net.ZeroGrad(). What changes at step 2?",
            ["Its loss is unchanged; Adam steps on both gradients summed", "Backward() throws, because the gradients already hold numbers", "Nothing: Adam's Step() sets the gradients back to zero itself", "Step 2's loss is wrong: the forward pass reads old gradients"], 1,
            "Which parts of a step read the weights, which read the gradients, and what does Backward() do to a gradient that is already there?",
            [(2, "Backward() adds into Grad whatever it holds; it never checks that Grad is empty, which is why the step clears it first."),
             (3, "The optimizer reads the gradients and moves the weights; clearing them is the step's own job, its first line."),
             (4, "The forward pass reads the weights only; the gradients matter only to the update that follows it.")],
            "Step 2's forward pass uses the weights after step 1's update, which the missing line does not touch: its loss is the same.",
            "Backward() then adds step 2's gradient to step 1's, still in Grad, and Adam steps on their sum: the weights after step 2, and every loss from step 3 on, differ from the Trainer's."),
    ];
}
