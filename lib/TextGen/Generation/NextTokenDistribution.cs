// What a model says comes next after a prompt: the probability of every token, the unknown token masked as
// generation masks it (so the listing shows what a draw can give), and the N most likely tokens for a table or a
// bar chart (Charts.Bar takes their labels and probabilities).
using System.Globalization;
using System.Text;
using TextGen.Nn;
using TextGen.Text;

namespace TextGen.Generation;

/// <summary>One token of a next-token listing: its id, its text, the text escaped for display, and its probability.</summary>
public sealed record NextToken(int Id, string Token, double Probability)
{
    /// <summary>The token written so that a line break or a space is visible (<c>\n</c>, <c>␣</c>): a chart or table label.</summary>
    public string Label => Vocabulary.Escape(Token);
}

/// <summary>
/// The model's probabilities for the token after a prompt. Unless allowed, &lt;unk&gt; is masked as in generation: its
/// probability is 0 and the other tokens' probabilities are renormalised over the allowed ones (<see cref="Note"/> says so).
/// </summary>
public sealed class NextTokenDistribution
{
    private readonly float[] probabilities;
    private readonly ITokenizer tokenizer;

    private NextTokenDistribution(string prompt, ITokenizer tokenizer, float[] probabilities, int? maskedId, double maskedProbability, float temperature)
    {
        Prompt = prompt;
        this.tokenizer = tokenizer;
        this.probabilities = probabilities;
        MaskedId = maskedId;
        MaskedProbability = maskedProbability;
        Temperature = temperature;
    }

    /// <summary>
    /// The distribution after <paramref name="prompt"/> (an empty prompt starts from a line break, as in generation), at
    /// <paramref name="temperature"/> (1 = the model's own probabilities). The model is put in evaluation mode.
    /// </summary>
    public static NextTokenDistribution After(CharRnnModel model, ITokenizer tokenizer, string prompt, bool allowUnknown = false, float temperature = 1f)
    {
        model.Eval();
        return After(new StepSession(model), tokenizer, prompt, allowUnknown, temperature);
    }

    /// <summary>The same for any one-step model, such as an engine's step model.</summary>
    public static NextTokenDistribution After(IStepModel model, ITokenizer tokenizer, string prompt, bool allowUnknown = false, float temperature = 1f)
    {
        if (tokenizer.VocabularySize != model.VocabularySize)
            throw new ArgumentException($"the tokenizer has {tokenizer.VocabularySize} tokens but the model predicts {model.VocabularySize}: they come from different checkpoints");
        var ids = TextGenerator.PromptIds(tokenizer, prompt, UnknownTokenPolicy.Error);
        var logits = new float[model.VocabularySize];
        model.Feed(model.CreateState(), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ids), logits);
        var options = new SamplingOptions { Temperature = temperature, AllowUnknown = allowUnknown };
        int? unknownId = LogitsSampler.UnknownIdOf(tokenizer);
        var sampler = new LogitsSampler(options, unknownId);
        double masked = sampler.MaskedId is int m ? new LogitsSampler(options with { AllowUnknown = true }).Distribution(logits)[m] : 0;
        return new NextTokenDistribution(prompt, tokenizer, sampler.Distribution(logits).ToArray(), sampler.MaskedId, masked, temperature);
    }

    /// <summary>The prompt the distribution follows.</summary>
    public string Prompt { get; }

    /// <summary>The temperature the logits were divided by (1 = the model's own probabilities).</summary>
    public float Temperature { get; }

    /// <summary>The probability of every token, by id; they sum to 1 (over the allowed tokens when one is masked).</summary>
    public IReadOnlyList<float> Probabilities => probabilities;

    /// <summary>The id of the masked unknown token, or null when nothing is masked (allowed, or no &lt;unk&gt; in the vocabulary).</summary>
    public int? MaskedId { get; }

    /// <summary>The probability the model gave the masked token before it was masked (0 when nothing is masked).</summary>
    public double MaskedProbability { get; }

    /// <summary>The probability of a token (0 for the masked one); a token outside the vocabulary is an error.</summary>
    public double ProbabilityOf(string token) => probabilities[tokenizer.Vocabulary.IdOf(token)];

    /// <summary>The <paramref name="count"/> most likely tokens, most likely first (ties by id); the masked token is never among them.</summary>
    public IReadOnlyList<NextToken> Top(int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), $"count {count} must be at least 1");
        return Enumerable.Range(0, probabilities.Length).Where(i => i != MaskedId)
            .OrderByDescending(i => probabilities[i]).ThenBy(i => i).Take(count)
            .Select(i => new NextToken(i, tokenizer.Vocabulary.TokenOf(i), probabilities[i])).ToList();
    }

    /// <summary>What was masked and how the rest was renormalised, in one sentence; empty when nothing was masked.</summary>
    public string Note => MaskedId is int m
        ? string.Create(CultureInfo.InvariantCulture, $"{tokenizer.Vocabulary.TokenOf(m)} is masked as in generation (the model gave it {MaskedProbability:P1}); the other probabilities are renormalised to sum to 1")
        : "";

    /// <summary>The ten most likely next tokens, one per line with its probability, then the note.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var t in Top(10)) sb.Append(CultureInfo.InvariantCulture, $"{t.Label,-14} {t.Probability,7:P1}\n");
        if (Note.Length > 0) sb.Append('(').Append(Note).Append(")\n");
        return sb.ToString();
    }
}
