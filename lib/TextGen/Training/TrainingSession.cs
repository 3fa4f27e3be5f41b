// One call from a corpus to a ready trainer: tokenize, split, build model and optimizer, or pick up
// a run from its resume file. The CLI, the notebooks and the tests all start training here.
using TextGen.Text;

namespace TextGen.Training;

/// <summary>A trainer together with the tokenizer and data it was built from.</summary>
public sealed record TrainingSession(Trainer Trainer, ITokenizer Tokenizer, int[] TrainIds, int[] ValidationIds)
{
    /// <summary>Starts a fresh run on <paramref name="corpus"/> under <paramref name="options"/>, with a vocabulary built from it.</summary>
    public static TrainingSession Start(TrainOptions options, Corpus corpus)
    {
        options.Validate();
        return Start(options, corpus, TokenizerFor(options, corpus));
    }

    /// <summary>The tokenizer the options name, with a vocabulary built from the corpus.</summary>
    internal static ITokenizer TokenizerFor(TrainOptions options, Corpus corpus) =>
        TokenizerFactory.FromText(options.Tokenizer, corpus.Text, options.LowerCase, options.Tokenizer == TokenizerKind.Word ? options.MinCount : 1);

    /// <summary>Starts a fresh run with a given tokenizer, e.g. one built over several corpora so a model can later be fine-tuned on another.</summary>
    public static TrainingSession Start(TrainOptions options, Corpus corpus, ITokenizer tokenizer)
    {
        var (train, val) = Encode(tokenizer, corpus, options.TrainFraction, UnknownTokenPolicy.Error);
        return new TrainingSession(TrainerFactory.Create(options, train, val, Info(tokenizer)), tokenizer, train, val);
    }

    /// <summary>
    /// Continues training a saved model on another corpus (transfer learning) with a fresh optimizer. The corpus is read with the
    /// model's vocabulary; tokens it lacks are an error unless <paramref name="unknown"/> is Skip.
    /// </summary>
    public static TrainingSession FineTune(LoadedModel pretrained, Corpus corpus, TrainOptions options, UnknownTokenPolicy unknown = UnknownTokenPolicy.Error)
    {
        var tokenizer = pretrained.CreateTokenizer();
        var (train, val) = Encode(tokenizer, corpus, options.TrainFraction, unknown);
        return new TrainingSession(TrainerFactory.Create(options, pretrained.Model, train, val, Info(tokenizer)), tokenizer, train, val);
    }

    private static TokenizerInfo Info(ITokenizer t) => new(t.Kind, t.Vocabulary.Tokens, t is WordTokenizer { LowerCase: true });

    /// <summary>
    /// Continues the run saved in <paramref name="resumePath"/> on the same corpus; <paramref name="options"/> may extend the
    /// budget or move the checkpoint (null keeps the saved options).
    /// </summary>
    public static TrainingSession Resume(string resumePath, Corpus corpus, TrainOptions? options = null)
    {
        // Accept the checkpoint itself as well as its resume file: the resume file beside it holds the run's state.
        if (!resumePath.EndsWith(".resume.safetensors", StringComparison.Ordinal) && File.Exists(ResumeState.PathFor(resumePath)))
            resumePath = ResumeState.PathFor(resumePath);
        var saved = ResumeState.Load(resumePath);
        var o = options ?? saved.Options;
        var tokenizer = saved.Model.CreateTokenizer();
        var (train, val) = Encode(tokenizer, corpus, o.TrainFraction, UnknownTokenPolicy.Error);
        return new TrainingSession(TrainerFactory.Resume(saved, train, val, o), tokenizer, train, val);
    }

    /// <summary>The corpus as ids, split as every run splits it: the first <paramref name="trainFraction"/> trains, the rest validates.</summary>
    internal static (int[] Train, int[] Validation) Encode(ITokenizer tokenizer, Corpus corpus, double trainFraction, UnknownTokenPolicy unknown) =>
        Corpus.Split(tokenizer.EncodeToIds(corpus.Text, unknown), trainFraction);
}
