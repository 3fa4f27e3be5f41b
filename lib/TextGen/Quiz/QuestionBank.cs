// The lessons' multiple-choice questions, by id "lesson.number". Kept in the library so the
// notebooks stay short and the tests can check every answer key.
namespace TextGen.Quiz;

/// <summary>All questions of the course.</summary>
public static partial class QuestionBank
{
    private static readonly Lazy<Dictionary<string, Question>> All = new(() =>
        Lessons1To4().Concat(Lessons5To8()).Concat(Lessons9To11()).ToDictionary(q => q.Id));

    /// <summary>Every question, in id order.</summary>
    public static IReadOnlyList<Question> Questions => All.Value.Values.OrderBy(q => q.Id, StringComparer.Ordinal).ToList();

    /// <summary>The question with this id.</summary>
    public static Question Get(string id) => All.Value.TryGetValue(id, out var q) ? q
        : throw new KeyNotFoundException($"no question '{id}'; ids look like \"3.1\" (lesson 3, question 1)");

    private static Question Q(string id, Level level, string text, string[] choices, int answer, string hint,
        (int Choice, string Why)[] mistakes, params string[] solution) =>
        new(id, level, text, choices, answer, hint, mistakes.ToDictionary(m => m.Choice, m => m.Why), solution);

    private static IEnumerable<Question> Lessons1To4() =>
    [
        Q("1.1", Level.Easy, "What is a recurrent network used for in text generation?",
            ["Classifying a whole text at once", "Predicting the next token from the tokens so far", "Translating characters into ids", "Compressing the corpus"], 2,
            "Generation appends one token at a time.",
            [(1, "That is many-to-one use; generation needs a prediction after every token."), (3, "That is the tokenizer's job, before the network.")],
            "The model learns P(next token | previous tokens) from the corpus.", "Generation samples from that distribution, appends the token and repeats."),
        Q("1.2", Level.Easy, "Why does the course check every corpus file against a SHA-256 checksum?",
            ["To make downloads faster", "So everyone trains on exactly the same bytes, and a damaged download is caught", "To compress the file", "Because the library cannot read text otherwise"], 2,
            "Think about what changes if one byte differs.",
            [(1, "A checksum costs time; it buys certainty, not speed.")],
            "Losses and samples are only comparable on identical data.", "A truncated or altered file has a different hash and is refused, never silently used."),
        Q("1.3", Level.Medium, "y = sum of (w_i x_i)^2 with x = (1, 2, 3). What is dy/dw_2 when w_2 = -1?",
            ["-4", "-8", "8", "4"], 2,
            "Differentiate (w x)^2 with respect to w.",
            [(3, "Check the sign: w_2 is negative."), (1, "The derivative is 2 w x^2, not 2 w x.")],
            "d/dw (w x)^2 = 2 w x^2.", "2 * (-1) * 2^2 = -8."),
        Q("2.1", Level.Easy, "A batch of 32 sequences of 100 token ids has which shape?",
            ["(100, 32)", "(32, 100)", "(32, 100, 65)", "(3200)"], 2,
            "Batch first, then time.",
            [(3, "That is the one-hot (or embedded) shape, after the input layer."), (1, "The library's default is batch-first.")],
            "One row per sequence, one column per position: (batch, sequence) = (32, 100)."),
        Q("2.2", Level.Medium, "Why does a next-token model have one target id per input position?",
            ["Because the loss needs a scalar", "Each position predicts the token that follows it, so a window of T tokens gives T predictions", "Because targets are one-hot", "It only has one target per sequence"], 2,
            "Shift the input by one.",
            [(4, "That would waste T-1 predictions per window; the shape mismatch (batch) vs (batch, T) shows up in the loss."), (3, "Targets are integer ids here (sparse), not one-hot vectors.")],
            "Targets are the inputs shifted by one position.", "Logits (batch, T, V) are compared with targets (batch, T): one id per position."),
        Q("2.3", Level.Medium, "Why keep the validation text contiguous, at the end of the corpus?",
            ["It is faster to read", "So training and validation do not share passages, and validation measures generalisation", "Because the end of a text is harder", "It does not matter"], 2,
            "Random windows overlap their neighbours.",
            [(4, "Overlapping windows in both sets would let the model be tested on text it trained on.")],
            "A contiguous split keeps whole passages unseen.", "The validation loss then estimates performance on new text."),
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
        Q("4.1", Level.Easy, "What does the hidden state of an RNN hold?",
            ["The weights", "A summary of the sequence read so far", "The next token", "The loss"], 2,
            "It is carried from step to step.",
            [(1, "The weights are shared and fixed during a forward pass; the state changes every step.")],
            "h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh).", "It depends on every earlier input through h_{t-1}."),
        Q("4.2", Level.Medium, "Unrolled over 100 steps, how many copies of W_hh does an RNN use?",
            ["100 different matrices", "One matrix, shared by every step", "Two", "It depends on the batch"], 2,
            "Recurrent means the same cell again and again.",
            [(1, "Then the model could not handle sequences of other lengths.")],
            "The same weights are applied at every step.", "Their gradient is the sum of the contributions of all steps."),
        Q("4.3", Level.Hard, "In backpropagation through time, the gradient of the last output with respect to x_0 passes through...",
            ["Only the first step", "Every step from the last back to the first", "Only the output layer", "Nothing: x_0 does not matter"], 2,
            "Follow the chain h_0 -> h_1 -> ... -> h_T.",
            [(4, "x_0 influences h_0, which influences every later state.")],
            "dL/dx_0 = dL/dh_T * dh_T/dh_{T-1} * ... * dh_0/dx_0.", "This product of Jacobians is what vanishes or explodes."),
    ];
}
