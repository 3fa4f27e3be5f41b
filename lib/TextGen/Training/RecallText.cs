// A synthetic long-range task for character models: each line shows a key, N filler characters, '=' and the key again,
// so the character after '=' can only be predicted by remembering what was read N + 1 steps before (lesson 6).
using TextGen.Tensors;

namespace TextGen.Training;

/// <summary>One place in a <see cref="RecallText"/> where the next character is determined by a key read earlier.</summary>
/// <param name="Position">Index in the text of the character to predict (the key after '='); its prefix ends with '='.</param>
/// <param name="Distance">N: the filler characters between the key and '='. The key is read N + 1 steps before the prediction.</param>
/// <param name="Answer">The key, which the character at <paramref name="Position"/> repeats.</param>
public readonly record struct RecallQuery(int Position, int Distance, char Answer);

/// <summary>
/// Seeded text of lines <c>K f₁…f_N = K ⏎</c>: a key K drawn uniformly from <see cref="Keys"/>, N filler characters drawn
/// uniformly and independently from <see cref="Filler"/>, then '=' and K again. Nothing but the key tells the answer: keys and
/// filler are disjoint and drawn independently, and N does not depend on K, so a model that forgets the key can do no better
/// than <see cref="ChanceAccuracy"/> at the answers.
/// </summary>
public sealed class RecallText
{
    /// <summary>The default keys: eight capitals, so chance is 1/8.</summary>
    public const string DefaultKeys = "ABCDEFGH";

    /// <summary>The default filler alphabet: four lower-case letters, none of them a key.</summary>
    public const string DefaultFiller = "abcd";

    /// <summary>Marks the end of the filler: the next character is the key.</summary>
    public const char Cue = '=';

    private RecallText(string text, RecallQuery[] queries, string keys, string filler)
    {
        Text = text;
        Queries = queries;
        Keys = keys;
        Filler = filler;
    }

    /// <summary>The whole text, lines ending in '\n'.</summary>
    public string Text { get; }

    /// <summary>The answer of every line, in text order.</summary>
    public IReadOnlyList<RecallQuery> Queries { get; }

    /// <summary>The characters a key is drawn from.</summary>
    public string Keys { get; }

    /// <summary>The characters the filler is drawn from.</summary>
    public string Filler { get; }

    /// <summary>The distances present, in increasing order.</summary>
    public IReadOnlyList<int> Distances => Queries.Select(q => q.Distance).Distinct().Order().ToList();

    /// <summary>1/K: the accuracy at the answers of a model that knows an answer is a key but not which one.</summary>
    public double ChanceAccuracy => 1.0 / Keys.Length;

    /// <summary>ln K: the loss (nats) at the answers of a model that gives every key the same probability and nothing else any.</summary>
    public double ChanceLoss => Math.Log(Keys.Length);

    /// <summary>
    /// Generates <paramref name="lines"/> lines. The distances are spread over the lines as evenly as possible (each of the
    /// <paramref name="distances"/> on ⌊lines/count⌋ or one more lines) in a shuffled order, so every distance has its share of
    /// answers and the next line's distance cannot be foretold.
    /// </summary>
    /// <param name="lines">Number of lines (one answer each).</param>
    /// <param name="distances">The filler lengths N to use, each at least 1.</param>
    /// <param name="seed">Seed of every draw: the same seed gives the same text.</param>
    /// <param name="keys">Distinct characters a key is drawn from (at least 2).</param>
    /// <param name="filler">Distinct characters the filler is drawn from (at least 1), none of them a key.</param>
    public static RecallText Generate(int lines, IReadOnlyList<int> distances, ulong seed, string keys = DefaultKeys, string filler = DefaultFiller)
    {
        Validate(lines, distances, keys, filler);
        var g = new Generator(seed);
        var order = new int[lines];
        for (int i = 0; i < lines; i++) order[i] = distances[i % distances.Count];
        for (int i = lines - 1; i > 0; i--)
        {
            int j = g.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var text = new System.Text.StringBuilder(order.Sum() + 4 * lines);
        var queries = new RecallQuery[lines];
        for (int i = 0; i < lines; i++)
        {
            char key = keys[g.NextInt(keys.Length)];
            text.Append(key);
            for (int k = 0; k < order[i]; k++) text.Append(filler[g.NextInt(filler.Length)]);
            text.Append(Cue);
            queries[i] = new RecallQuery(text.Length, order[i], key);
            text.Append(key).Append('\n');
        }
        return new RecallText(text.ToString(), queries, keys, filler);
    }

    private static void Validate(int lines, IReadOnlyList<int> distances, string keys, string filler)
    {
        ArgumentNullException.ThrowIfNull(distances);
        if (lines < 1) throw new ArgumentOutOfRangeException(nameof(lines), $"recall text: {lines} lines; ask for at least 1");
        if (distances.Count == 0) throw new ArgumentException("recall text: no distances given; pass at least one filler length, e.g. [5, 10, 20]", nameof(distances));
        foreach (int d in distances)
            if (d < 1) throw new ArgumentOutOfRangeException(nameof(distances), $"recall text: distance {d} is too short; every distance must be at least 1 filler character");
        if (keys is null || keys.Length < 2 || keys.Distinct().Count() != keys.Length)
            throw new ArgumentException($"recall text: keys '{keys}' must be at least 2 distinct characters (chance is 1/count)", nameof(keys));
        if (filler is null || filler.Length < 1 || filler.Distinct().Count() != filler.Length)
            throw new ArgumentException($"recall text: filler '{filler}' must be at least 1 distinct character", nameof(filler));
        if (keys.Intersect(filler).Any())
            throw new ArgumentException($"recall text: '{string.Concat(keys.Intersect(filler))}' is both a key and filler; the filler would give the answer away, so keep the two apart", nameof(filler));
        if (keys.Concat(filler).Any(c => c is Cue or '\n'))
            throw new ArgumentException($"recall text: '=' and '\\n' are reserved (the cue and the line end); choose other key and filler characters");
    }

    /// <summary>
    /// Predicts every answer with <paramref name="model"/>, reading the text in order from a zero state (each prediction sees the
    /// true text before it), and scores them by distance.
    /// </summary>
    /// <param name="model">The trained model, e.g. <c>trainer.Engine.CreateStepModel()</c>.</param>
    /// <param name="tokenizer">The model's tokenizer; it must know every character of the text.</param>
    public IReadOnlyList<RecallScore> Evaluate(Nn.IStepModel model, Text.ITokenizer tokenizer)
    {
        var ids = tokenizer.EncodeToIds(Text);
        if (ids.Length != Text.Length)
            throw new ArgumentException($"recall text: the tokenizer gave {ids.Length} tokens for {Text.Length} characters; use the character tokenizer the model was trained with");
        var predictions = PositionEvaluator.Evaluate(model, ids, Queries.Select(q => q.Position).ToList());
        return Score(predictions);
    }

    /// <summary>Groups predictions made at <see cref="Queries"/> (in the same order) by distance.</summary>
    public IReadOnlyList<RecallScore> Score(IReadOnlyList<PositionPrediction> predictions)
    {
        if (predictions.Count != Queries.Count || predictions.Where((p, i) => p.Position != Queries[i].Position).Any())
            throw new ArgumentException($"recall text: {predictions.Count} predictions do not match the {Queries.Count} answers in order; predict at Queries' positions");
        return Queries.Select((q, i) => (q.Distance, Prediction: predictions[i]))
            .GroupBy(x => x.Distance)
            .OrderBy(grp => grp.Key)
            .Select(grp => new RecallScore(grp.Key, grp.Count(), grp.Count(x => x.Prediction.Correct),
                -grp.Average(x => x.Prediction.LogProbability), ChanceAccuracy))
            .ToList();
    }
}

/// <summary>How well a model recalled the keys at one distance.</summary>
/// <param name="Distance">N, the filler characters between key and '='.</param>
/// <param name="Answers">Answers at this distance.</param>
/// <param name="Correct">Answers whose most likely next character was the key.</param>
/// <param name="Loss">Mean −ln p(key) at the answers, in nats.</param>
/// <param name="Chance">The accuracy of guessing among the keys, 1/K.</param>
public sealed record RecallScore(int Distance, int Answers, int Correct, double Loss, double Chance)
{
    /// <summary>Fraction of the answers recalled.</summary>
    public double Accuracy => (double)Correct / Answers;
}
