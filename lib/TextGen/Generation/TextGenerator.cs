// Text generation: the prompt is run through the model once to build the state, then one step per
// new token with the state carried. Streams tokens so a notebook or terminal can print as it goes.
using TextGen.Nn;
using TextGen.Text;

namespace TextGen.Generation;

/// <summary>Generates text from a model and its tokenizer.</summary>
public static class TextGenerator
{
    /// <summary>
    /// Streams <paramref name="length"/> new token ids after the prompt (greedy or sampled). <paramref name="unknownId"/>
    /// (<see cref="LogitsSampler.UnknownIdOf"/>) is never drawn unless <see cref="SamplingOptions.AllowUnknown"/>.
    /// </summary>
    public static IEnumerable<int> GenerateIds(IStepModel model, IReadOnlyList<int> prompt, int length, SamplingOptions options, int? unknownId = null)
    {
        if (prompt.Count == 0) throw new ArgumentException("generation needs a prompt of at least one token");
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), "length must be 0 or more");
        var sampler = new LogitsSampler(options, unknownId);
        return Iterate();

        IEnumerable<int> Iterate()
        {
            var state = model.CreateState();
            var logits = new float[model.VocabularySize];
            var history = new List<int>(prompt);
            model.Feed(state, history.ToArray(), logits);
            var one = new int[1];
            for (int i = 0; i < length; i++)
            {
                int token = sampler.Sample(logits, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(history));
                history.Add(token);
                yield return token;
                if (i < length - 1)
                {
                    one[0] = token;
                    model.Feed(state, one, logits);
                }
            }
        }
    }

    /// <summary>Generates <paramref name="length"/> new tokens after <paramref name="prompt"/> and returns them with the prompt and settings.</summary>
    public static GeneratedText Complete(CharRnnModel model, ITokenizer tokenizer, string prompt, int length,
        SamplingOptions options, UnknownTokenPolicy unknown = UnknownTokenPolicy.Error) =>
        new(prompt, string.Concat(Generate(model, tokenizer, prompt, length, options, unknown)), options);

    /// <summary>
    /// The same for any one-step model, such as a transformer's <see cref="CharTransformerModel.CreateStepModel"/>: the prompt
    /// handling, samplers and beam search are the ones the recurrent models use.
    /// </summary>
    public static GeneratedText Complete(IStepModel model, ITokenizer tokenizer, string prompt, int length,
        SamplingOptions options, UnknownTokenPolicy unknown = UnknownTokenPolicy.Error) =>
        new(prompt, string.Concat(Generate(model, tokenizer, prompt, length, options, unknown)), options);

    /// <summary>
    /// Streams the text of <paramref name="length"/> new tokens after <paramref name="prompt"/>. An empty prompt starts from
    /// a line break (or the first token). Beam search yields its best sequence. The tokenizer's &lt;unk&gt; is never written
    /// unless <see cref="SamplingOptions.AllowUnknown"/>; <paramref name="unknown"/> is about the prompt's unknown characters.
    /// </summary>
    public static IEnumerable<string> Generate(CharRnnModel model, ITokenizer tokenizer, string prompt, int length,
        SamplingOptions options, UnknownTokenPolicy unknown = UnknownTokenPolicy.Error)
    {
        model.Eval();
        return Generate(new StepSession(model), tokenizer, prompt, length, options, unknown);
    }

    /// <summary>
    /// The same for any one-step model, such as an engine's <see cref="Training.ITrainingEngine.CreateStepModel"/>: TorchSharp's or the
    /// GPU's model generates through the same prompt handling, sampling and beam search as TextGen's.
    /// </summary>
    public static IEnumerable<string> Generate(IStepModel model, ITokenizer tokenizer, string prompt, int length,
        SamplingOptions options, UnknownTokenPolicy unknown = UnknownTokenPolicy.Error)
    {
        options.Validate();
        if (tokenizer.VocabularySize != model.VocabularySize)
            throw new ArgumentException($"the tokenizer has {tokenizer.VocabularySize} tokens but the model predicts {model.VocabularySize}: they come from different checkpoints");
        return Stream(model, tokenizer, PromptIds(tokenizer, prompt, unknown), length, options);
    }

    /// <summary>The ids a prompt starts generation from: an empty prompt is a line break (or the first token).</summary>
    internal static List<int> PromptIds(ITokenizer tokenizer, string prompt, UnknownTokenPolicy unknown)
    {
        var ids = tokenizer.EncodeToIds(prompt, unknown).ToList();
        if (ids.Count == 0)
        {
            if (prompt.Length > 0 && unknown == UnknownTokenPolicy.Skip)
                throw new ArgumentException("the prompt has no character the model knows (all were skipped as unknown); use characters from the training text");
            ids.Add(tokenizer.Vocabulary.TryGetId("\n", out var nl) ? nl : 0);
        }
        return ids;
    }

    private static IEnumerable<string> Stream(IStepModel session, ITokenizer tokenizer, List<int> ids, int length, SamplingOptions options)
    {
        int? unknownId = LogitsSampler.UnknownIdOf(tokenizer);
        IEnumerable<int> stream = options.Strategy == DecodingStrategy.Beam
            ? BeamSearch.Run(session, ids, length, options.BeamWidth, options.LengthPenalty, options.AllowUnknown ? null : unknownId)[0].Tokens
            : GenerateIds(session, ids, length, options, unknownId);
        // Decode the whole text each time and yield what is new, so word spacing is decided in context.
        var all = new List<int>(ids);
        int shown = tokenizer.Decode(all).Length;
        foreach (var id in stream)
        {
            all.Add(id);
            var text = tokenizer.Decode(all);
            yield return text[Math.Min(shown, text.Length)..];
            shown = text.Length;
        }
    }
}
