// Building a trainer from options: a fresh run, or one resumed from its resume file.
using TextGen.Nn;
using TextGen.Optim;

namespace TextGen.Training;

/// <summary>Creates trainers with the optimizer and batches that <see cref="TrainOptions"/> describe.</summary>
public static class TrainerFactory
{
    /// <summary>The optimizer named by the options over the model's parameters.</summary>
    public static Optimizer CreateOptimizer(TrainOptions o, CharRnnModel model) => CreateOptimizer(o, model.Parameters());

    /// <summary>The optimizer named by the options over any parameters (a transformer's as well as a recurrent model's).</summary>
    internal static Optimizer CreateOptimizer(TrainOptions o, IEnumerable<Tensors.Tensor> parameters) => o.Optimizer switch
    {
        OptimizerKind.Sgd => new Sgd(parameters, o.LearningRate, o.Momentum, weightDecay: o.WeightDecay),
        OptimizerKind.AdamW => new Adam(parameters, o.LearningRate, weightDecay: o.WeightDecay, decoupledWeightDecay: true),
        OptimizerKind.Adam => new Adam(parameters, o.LearningRate, weightDecay: o.WeightDecay),
    };

    /// <summary>
    /// The name and hyperparameters (PyTorch's names, TextGen's defaults) that the options' optimizer writes into its state. Engines
    /// that run an optimizer of their own (TorchSharp's, the GPU's kernel) build it with these and exchange state under them.
    /// </summary>
    public static (string Kind, IReadOnlyDictionary<string, double> Hyperparameters) OptimizerSignature(TrainOptions o)
    {
        // TextGen's own optimizer says it, over a one-element stand-in: the settings then have one source.
        var optimizer = CreateOptimizer(o, [new Tensors.Tensor(new float[1], 1)]);
        return (optimizer.Kind, optimizer.Hyperparameters);
    }

    /// <summary>A fresh run: a new model seeded by the options, on the given token streams.</summary>
    public static Trainer Create(TrainOptions o, int[] trainIds, int[] validationIds, TokenizerInfo tokenizer)
    {
        o.Validate();
        var config = o.Model(tokenizer.Vocabulary.Count);
        MemoryEstimate.For(config, o).EnsureFits(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        return Create(o, new CharRnnModel(config, o.Seed), trainIds, validationIds, tokenizer);
    }

    /// <summary>
    /// A run that trains an existing model (fine-tuning): the options' model sizes are ignored, a fresh optimizer starts. TextGen's CPU
    /// engine trains <paramref name="model"/> in place; another engine starts from a copy of its weights.
    /// </summary>
    public static Trainer Create(TrainOptions o, CharRnnModel model, int[] trainIds, int[] validationIds, TokenizerInfo tokenizer)
    {
        o.Validate();
        if (model.VocabularySize != tokenizer.Vocabulary.Count)
            throw new ArgumentException($"the model predicts {model.VocabularySize} tokens but the tokenizer has {tokenizer.Vocabulary.Count}");
        return new Trainer(o, TrainingEngines.Create(o, model), new TokenBatches(trainIds, o.BatchSize, o.SeqLen, o.Stateful, o.Seed), validationIds, tokenizer);
    }

    /// <summary>
    /// Continues a run from its resume file on the same token streams. <paramref name="options"/> may change the budget
    /// (steps, minutes, epochs) and the checkpoint path; the model and data settings must stay as saved.
    /// </summary>
    public static Trainer Resume(ResumeData saved, int[] trainIds, int[] validationIds, TrainOptions? options = null)
    {
        var o = options ?? saved.Options;
        var s = saved.Options;
        if (o.Arch != s.Arch || o.HiddenSize != s.HiddenSize || o.NumLayers != s.NumLayers || o.EmbeddingDim != s.EmbeddingDim
            || o.BatchSize != s.BatchSize || o.SeqLen != s.SeqLen || o.Optimizer != s.Optimizer || o.Stateful != s.Stateful || o.Tokenizer != s.Tokenizer)
            throw new ArgumentException("--resume continues the saved run: its architecture, sizes, batch, sequence length, tokenizer and optimizer " +
                $"({s.Arch.ToName()} {s.NumLayers}x{s.HiddenSize}, embedding {s.EmbeddingDim}, batch {s.BatchSize}, seq {s.SeqLen}, {s.Optimizer.ToName()}) cannot change");
        // The saved run may have trained on another engine: both the weights and the optimizer's moments travel in TextGen's layout.
        var engine = TrainingEngines.Create(o, saved.Model.Model);
        engine.ImportOptimizerState(saved.Optimizer);
        engine.CarriedState = saved.CarriedState;
        var batches = new TokenBatches(trainIds, o.BatchSize, o.SeqLen, o.Stateful, o.Seed);
        batches.LoadState(saved.BatchesState);
        var tok = new TokenizerInfo(saved.Model.TokenizerKind, saved.Model.Vocabulary, saved.Model.LowerCase);
        return new Trainer(o, engine, batches, validationIds, tok) { Cursor = saved.Cursor };
    }
}
