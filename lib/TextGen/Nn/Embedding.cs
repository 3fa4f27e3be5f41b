// Token inputs: a learned Embedding table, or fixed one-hot vectors, behind one interface.
using TextGen.Tensors;

namespace TextGen.Nn;

/// <summary>Turns a (batch, time) grid of token ids into (batch, time, features) vectors.</summary>
public interface ITokenInput
{
    /// <summary>Size of each output vector.</summary>
    int OutputSize { get; }

    /// <summary>Vectors for <paramref name="ids"/> laid out as <paramref name="idShape"/>.</summary>
    Tensor Forward(ReadOnlySpan<int> ids, params int[] idShape);
}

/// <summary>A lookup table of learned vectors, as torch.nn.Embedding(num_embeddings, embedding_dim).</summary>
public sealed class Embedding : Module, ITokenInput
{
    /// <summary>Creates the table with N(0, 1) values (PyTorch's default).</summary>
    public Embedding(int numEmbeddings, int embeddingDim, Generator? generator = null)
    {
        if (numEmbeddings < 1) throw new ArgumentOutOfRangeException(nameof(numEmbeddings), $"Embedding: numEmbeddings (the vocabulary size) must be at least 1, got {numEmbeddings}");
        if (embeddingDim < 1) throw new ArgumentOutOfRangeException(nameof(embeddingDim), $"Embedding: embeddingDim must be at least 1, got {embeddingDim}");
        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        Weight = RegisterParameter("weight", Init.StandardNormal(generator ?? new Generator(0), numEmbeddings, embeddingDim));
    }

    /// <summary>Vocabulary size (rows of the table).</summary>
    public int NumEmbeddings { get; }

    /// <summary>Vector size (columns of the table).</summary>
    public int EmbeddingDim { get; }

    /// <summary>The table, (numEmbeddings, embeddingDim).</summary>
    public Tensor Weight { get; }

    /// <inheritdoc />
    public int OutputSize => EmbeddingDim;

    /// <inheritdoc />
    public Tensor Forward(ReadOnlySpan<int> ids, params int[] idShape) => Ops.Embedding(Weight, ids, idShape);
}

/// <summary>One-hot input: each id becomes a vector of vocabulary size with a single 1 (no parameters).</summary>
public sealed class OneHot(int numClasses) : Module, ITokenInput
{
    /// <summary>Vocabulary size.</summary>
    public int NumClasses { get; } = numClasses >= 1 ? numClasses : throw new ArgumentOutOfRangeException(nameof(numClasses), "OneHot: numClasses must be at least 1");

    /// <inheritdoc />
    public int OutputSize => NumClasses;

    /// <inheritdoc />
    public Tensor Forward(ReadOnlySpan<int> ids, params int[] idShape) => Ops.OneHot(ids, NumClasses, idShape);
}

/// <summary>Inverted dropout as a module; active only in training mode.</summary>
public sealed class Dropout : Module<Tensor, Tensor>
{
    private readonly Generator generator;

    /// <summary>Creates the layer; <paramref name="p"/> is the probability of zeroing an element.</summary>
    public Dropout(float p, Generator? generator = null)
    {
        if (p < 0 || p >= 1) throw new ArgumentOutOfRangeException(nameof(p), $"Dropout: probability {p} must be in [0, 1)");
        P = p;
        this.generator = generator ?? new Generator(0);
    }

    /// <summary>Probability of zeroing an element.</summary>
    public float P { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Ops.Dropout(input, P, Training, generator);
}
