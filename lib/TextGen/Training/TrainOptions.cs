// Every hyperparameter of a training run in one record, with defaults chosen for a 2-core CPU.
// The CLI's flags, the notebooks and the tests all build this same record.
using TextGen.Nn;
using TextGen.Optim;
using TextGen.Tensors;
using TextGen.Text;

namespace TextGen.Training;

/// <summary>
/// Settings of a training run: model, data, optimizer, budget, evaluation and checkpoints. The model settings carry the
/// names of <see cref="CharRnnConfig"/>, which <see cref="Model"/> builds once the vocabulary is known.
/// </summary>
public sealed record TrainOptions
{
    /// <summary>Recurrent cell.</summary>
    public RecurrentArch Arch { get; init; } = RecurrentArch.Lstm;
    /// <summary>Tokenizer: characters or words.</summary>
    public TokenizerKind Tokenizer { get; init; } = TokenizerKind.Char;
    /// <summary>Lower-case the text first (word tokenizer).</summary>
    public bool LowerCase { get; init; }
    /// <summary>Words seen fewer times become &lt;unk&gt; (word tokenizer).</summary>
    public int MinCount { get; init; } = 2;
    /// <summary>Embedding size; 0 feeds one-hot vectors.</summary>
    public int EmbeddingDim { get; init; } = 64;
    /// <summary>Hidden units per layer.</summary>
    public int HiddenSize { get; init; } = 256;
    /// <summary>Stacked recurrent layers.</summary>
    public int NumLayers { get; init; } = 1;
    /// <summary>Dropout between layers and before the decoder.</summary>
    public float Dropout { get; init; }
    /// <summary>Tokens per training sequence (the truncation length of BPTT).</summary>
    public int SeqLen { get; init; } = 100;
    /// <summary>Sequences per batch.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Carry the hidden state across consecutive batches (contiguous lanes) instead of random windows.</summary>
    public bool Stateful { get; init; } = true;
    /// <summary>Optimizer.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;
    /// <summary>Peak learning rate.</summary>
    public float LearningRate { get; init; } = 3e-3f;
    /// <summary>Weight decay (L2 for adam/sgd, decoupled for adamw).</summary>
    public float WeightDecay { get; init; }
    /// <summary>Momentum for sgd.</summary>
    public float Momentum { get; init; } = 0.9f;
    /// <summary>Learning-rate schedule: constant, or warm-up and cosine decay.</summary>
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Cosine;
    /// <summary>Linear warm-up steps of the schedule.</summary>
    public int WarmupSteps { get; init; } = 20;
    /// <summary>Global gradient-norm clipping; 0 turns it off.</summary>
    public float Clip { get; init; } = 1f;
    /// <summary>Stop after this many optimizer steps (null: no step limit).</summary>
    public int? Steps { get; init; }
    /// <summary>Stop after this many passes over the training data (null: no epoch limit).</summary>
    public int? Epochs { get; init; }
    /// <summary>Stop after this many minutes of wall time (null: no time limit).</summary>
    public double? Minutes { get; init; } = 4.5;
    /// <summary>Evaluate validation loss every this many steps.</summary>
    public int EvalInterval { get; init; } = 100;
    /// <summary>At most this many validation tokens per evaluation (0 = all).</summary>
    public int EvalTokens { get; init; } = 50_000;
    /// <summary>Stop when validation has not improved for this many evaluations (0 = never).</summary>
    public int Patience { get; init; } = 5;
    /// <summary>Fraction of the corpus used for training; the rest, at the end, validates.</summary>
    public double TrainFraction { get; init; } = 0.9;
    /// <summary>Seed of every random draw (weights, batches, dropout).</summary>
    public ulong Seed { get; init; } = 1337;
    /// <summary>Which engine computes: TextGen's own (the default) or TorchSharp.</summary>
    public EngineKind Engine { get; init; } = EngineKind.TextGen;
    /// <summary>Where the run computes: <see cref="Device.Cpu"/> or a GPU.</summary>
    public Device Device { get; init; } = Device.Cpu;
    /// <summary>
    /// Let a GPU compute matrix products with TF32 tensor cores (inputs rounded to a 10-bit mantissa: faster, results differ
    /// at the 1e-3 level), as <c>torch.backends.cuda.matmul.allow_tf32</c>; false keeps strict float32. The CPU ignores it.
    /// </summary>
    public bool AllowTf32 { get; init; }
    /// <summary>Where the best model is written (null: not saved). The resume state goes beside it.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>The model these options describe for a vocabulary of <paramref name="vocabularySize"/> tokens.</summary>
    public CharRnnConfig Model(int vocabularySize) => new(vocabularySize, Arch, EmbeddingDim, HiddenSize, NumLayers, Dropout);

    /// <summary>Throws with a message naming the bad setting and its valid range.</summary>
    public void Validate()
    {
        static void Check(bool ok, string message) { if (!ok) throw new ArgumentException(message); }
        static void CheckDefined<T>(T value) where T : struct, Enum =>
            Check(Enum.IsDefined(value), $"{EnumNames.Noun<T>()} {value} is unknown: use {EnumNames.Choices<T>()}");
        CheckDefined(Arch);
        CheckDefined(Tokenizer);
        Check(EmbeddingDim >= 0, $"embedding dim {EmbeddingDim} must be 0 (one-hot) or more");
        Check(HiddenSize >= 1, $"hidden size {HiddenSize} must be at least 1");
        Check(NumLayers >= 1, $"layers {NumLayers} must be at least 1");
        Check(Dropout >= 0 && Dropout < 1, $"dropout {Dropout} must be in [0, 1)");
        Check(SeqLen >= 1, $"sequence length {SeqLen} must be at least 1");
        Check(BatchSize >= 1, $"batch size {BatchSize} must be at least 1");
        CheckDefined(Optimizer);
        Check(LearningRate > 0 && float.IsFinite(LearningRate), $"learning rate {LearningRate} must be positive");
        CheckDefined(Schedule);
        Check(WarmupSteps >= 0, "warm-up steps must be 0 or more");
        Check(Clip >= 0, $"clip {Clip} must be 0 (off) or positive");
        Check(Steps is null or >= 1, $"steps {Steps} must be at least 1");
        Check(Epochs is null or >= 1, $"epochs {Epochs} must be at least 1");
        Check(Minutes is null or > 0, $"minutes {Minutes} must be positive");
        Check(Steps is not null || Epochs is not null || Minutes is not null, "set a budget: steps, epochs or minutes");
        Check(EvalInterval >= 1, "eval interval must be at least 1");
        Check(TrainFraction > 0 && TrainFraction < 1, $"train fraction {TrainFraction} must be between 0 and 1");
        CheckDefined(Engine);
        Check(Enum.IsDefined(Device.Type) && Device.Index >= 0 && (Device.Type == DeviceType.Cuda || Device.Index == 0), $"device {Device.Type}:{Device.Index} is unknown: use cpu or cuda");
    }
}
