// Generation the way the Keras character example does it: for every new token the model re-reads the last
// `window` tokens from a zero state, instead of carrying its state forward. Lesson 8 sets it against the
// stateful TextGenerator: same sampler, same seed, W times the network steps.
using TextGen.Nn;
using TextGen.Text;

namespace TextGen.Generation;

/// <summary>Generates text by re-reading a sliding window of the last tokens for every new token (no state carried).</summary>
public static class SlidingWindowGenerator
{
    /// <summary>
    /// Streams <paramref name="length"/> new token ids after <paramref name="prompt"/>. Before each draw the model starts from a
    /// zero state and reads the last <paramref name="window"/> tokens of prompt-plus-output (all of them while there are fewer).
    /// The draws use <see cref="LogitsSampler"/> with <paramref name="options"/> and <paramref name="unknownId"/> (never drawn unless
    /// <see cref="SamplingOptions.AllowUnknown"/>), as <see cref="TextGenerator.GenerateIds"/> does.
    /// </summary>
    /// <remarks>
    /// With a window at least as long as the whole text, every draw sees the same context as the stateful generator and the
    /// output is the same. The model reads <see cref="TokensFed"/> tokens in all, against prompt + length - 1 for the stateful one.
    /// </remarks>
    public static IEnumerable<int> GenerateIds(IStepModel model, IReadOnlyList<int> prompt, int length, int window, SamplingOptions options,
        int? unknownId = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (prompt.Count == 0) throw new ArgumentException("generation needs a prompt of at least one token");
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), "length must be 0 or more");
        if (window < 1) throw new ArgumentOutOfRangeException(nameof(window), $"window {window} must be at least 1 token");
        var sampler = new LogitsSampler(options, unknownId);
        return Iterate();

        IEnumerable<int> Iterate()
        {
            var logits = new float[model.VocabularySize];
            var history = new List<int>(prompt);
            for (int i = 0; i < length; i++)
            {
                int start = Math.Max(0, history.Count - window);
                var context = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(history)[start..];
                model.Feed(model.CreateState(), context, logits);   // a fresh zero state: nothing is carried between draws
                int token = sampler.Sample(logits, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(history));
                history.Add(token);
                yield return token;
            }
        }
    }

    /// <summary>
    /// Generates <paramref name="length"/> characters (or words) after <paramref name="prompt"/> with a window of <paramref name="window"/>
    /// tokens; the tokenizer's &lt;unk&gt; is never written unless <see cref="SamplingOptions.AllowUnknown"/>.
    /// </summary>
    public static GeneratedText Complete(CharRnnModel model, ITokenizer tokenizer, string prompt, int length, int window, SamplingOptions options)
    {
        options.Validate();
        if (options.Strategy == DecodingStrategy.Beam) throw new ArgumentException("the sliding-window generator draws one token at a time: use greedy or sample, not beam");
        if (tokenizer.VocabularySize != model.VocabularySize)
            throw new ArgumentException($"the tokenizer has {tokenizer.VocabularySize} tokens but the model predicts {model.VocabularySize}: they come from different checkpoints");
        model.Eval();
        var ids = tokenizer.EncodeToIds(prompt);
        var all = new List<int>(ids);
        all.AddRange(GenerateIds(new StepSession(model), ids, length, window, options, LogitsSampler.UnknownIdOf(tokenizer)));
        string text = tokenizer.Decode(all), start = tokenizer.Decode(ids);
        return new GeneratedText(prompt, text[Math.Min(start.Length, text.Length)..], options);
    }

    /// <summary>
    /// Tokens the sliding window feeds to generate <paramref name="length"/> tokens after a prompt of <paramref name="promptLength"/>:
    /// the sum over draws i = 0 .. length-1 of min(window, promptLength + i).
    /// </summary>
    public static long TokensFed(int promptLength, int length, int window)
    {
        if (promptLength < 1 || length < 0 || window < 1) throw new ArgumentOutOfRangeException(nameof(length), "need a prompt of at least one token, a length of 0 or more and a window of at least 1");
        long fed = 0;
        for (int i = 0; i < length; i++) fed += Math.Min(window, promptLength + i);
        return fed;
    }
}
