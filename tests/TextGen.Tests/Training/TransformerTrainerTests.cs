// Training the transformer with the recurrent models' recipe: the same split and batches, a validation measure over
// the same tokens, learning a text it can memorise, and clear refusals of settings it cannot honour.
using TextGen.Nn;
using TextGen.Optim;
using TextGen.Tensors;
using TextGen.Text;
using TextGen.Training;
using Xunit;

namespace TextGen.Tests.Training;

public class TransformerTrainerTests
{
    private static readonly Corpus Verse = Corpus.FromString(string.Concat(Enumerable.Repeat(
        "Shall I compare thee to a summer's day?\nThou art more lovely and more temperate:\n", 30)));

    private static TrainOptions Run(int steps) => new()
    {
        SeqLen = 16, BatchSize = 8, Steps = steps, Minutes = null, EvalInterval = 20, EvalTokens = 800, LearningRate = 3e-3f, WarmupSteps = 5,
    };

    private static CharTransformerConfig Config(ITokenizer tokenizer, int block = 16) => new(tokenizer.VocabularySize, block, 24, 2, 1);

    [Fact]
    public void It_reads_the_same_split_and_the_same_batches_as_a_recurrent_run()
    {
        var options = Run(5);
        var session = TrainingSession.Start(options, Verse);
        var trainer = TransformerTrainer.Start(Config(session.Tokenizer), options, Verse);
        Assert.Equal(session.TrainIds, trainer.TrainIds);
        Assert.Equal(session.ValidationIds, trainer.ValidationIds);
        for (int i = 0; i < 3; i++)
        {
            var a = session.Trainer.Batches.Next();
            var b = trainer.Batches.Next();
            Assert.Equal(a.Inputs, b.Inputs);
            Assert.Equal(a.Targets, b.Targets);
        }
    }

    [Fact]
    public void It_learns_a_text_it_can_memorise_and_reports_like_the_trainer()
    {
        var tokenizer = TokenizerFactory.FromText(TokenizerKind.Char, Verse.Text);
        var trainer = TransformerTrainer.Start(Config(tokenizer), Run(120) with { LearningRate = 1e-2f }, Verse, tokenizer);
        double untrained = Evaluator.LaneLoss(trainer.Model, trainer.ValidationIds, 16, 800).Loss;
        Assert.Equal(Math.Log(tokenizer.VocabularySize), untrained, 0.1);
        var report = trainer.Run();
        Assert.Equal(120, report.Steps);
        Assert.Equal(StopReason.BudgetReached, report.StopReason);
        Assert.NotNull(report.BestValidationLoss);
        Assert.True(report.BestValidationLoss < 0.5, $"validation loss {report.BestValidationLoss} on a text repeated 30 times");
        Assert.Equal(report.History[^1].ValidationLoss, report.FinalValidationLoss);
        Assert.True(report.TokensPerSecond > 0);
        // A second run continues the same steps and history.
        var more = trainer.Run();
        Assert.Equal(120, more.Steps);
        Assert.Equal(report.History.Count, more.History.Count);
    }

    [Fact]
    public void Its_step_is_the_one_a_lesson_writes_by_hand()
    {
        var tokenizer = TokenizerFactory.FromText(TokenizerKind.Char, Verse.Text);
        var options = Run(6) with { Schedule = ScheduleKind.Constant, EvalInterval = 100 };
        var trainer = TransformerTrainer.Start(Config(tokenizer), options, Verse, tokenizer);

        // The same model, data and optimizer, stepped in the open: zero the gradients, loss, backward, clip, update.
        var model = new CharTransformerModel(Config(tokenizer), options.Seed);
        var optimizer = new TextGen.Optim.Adam(model.Parameters(), options.LearningRate);
        var batches = new TokenBatches(trainer.TrainIds, options.BatchSize, options.SeqLen, options.Stateful, options.Seed);
        var losses = new List<float>();
        for (int step = 0; step < 6; step++)
        {
            var batch = batches.Next();
            model.ZeroGrad();
            var loss = model.Loss(batch.Inputs, batch.Targets, options.BatchSize, options.SeqLen);
            losses.Add(loss.Item());
            loss.Backward();
            TextGen.Optim.GradientClipping.ClipGradNorm(model.Parameters(), options.Clip);
            optimizer.Step();
        }

        var report = trainer.Run();
        Assert.Equal(losses[^1], report.FinalTrainLoss);
        Assert.Equal(losses[0], report.History[0].TrainLoss);
        foreach (var ((name, mine), (_, theirs)) in model.NamedParameters().Zip(trainer.Model.NamedParameters()))
            Assert.True(mine.Data.AsSpan().SequenceEqual(theirs.Data), $"{name} differs after six steps");
    }

    [Fact]
    public void Lane_loss_predicts_the_same_tokens_as_the_recurrent_measure()
    {
        var tokenizer = TokenizerFactory.FromText(TokenizerKind.Char, Verse.Text);
        var ids = tokenizer.EncodeToIds(Verse.Text).ToArray()[..1500];
        var transformer = new CharTransformerModel(Config(tokenizer), seed: 3);
        var lstm = new CharRnnModel(new CharRnnConfig(tokenizer.VocabularySize, RecurrentArch.Lstm, 8, 12), seed: 3);
        foreach (var (lanes, cap) in new[] { (16, 0), (16, 700), (3, 0), (1, 99) })
            Assert.Equal(Evaluator.LaneLoss(lstm, ids, lanes, 16, cap).Tokens, Evaluator.LaneLoss(transformer, ids, lanes, cap).Tokens);
    }

    [Fact]
    public void Lane_loss_is_a_plain_forward_when_a_lane_fits_in_one_block()
    {
        var tokenizer = TokenizerFactory.FromText(TokenizerKind.Char, Verse.Text);
        var ids = tokenizer.EncodeToIds(Verse.Text).ToArray()[..61];   // 4 lanes of 15 predictions
        var model = new CharTransformerModel(Config(tokenizer, block: 16), seed: 4);
        var inputs = new List<int>();
        var targets = new List<int>();
        for (int l = 0; l < 4; l++) { inputs.AddRange(ids[(l * 15)..(l * 15 + 15)]); targets.AddRange(ids[(l * 15 + 1)..(l * 15 + 16)]); }
        double plain = Ops.CrossEntropy(model.Forward(inputs.ToArray(), 4, 15), targets.ToArray()).Item();
        Assert.Equal(plain, Evaluator.LaneLoss(model, ids, 4, 0).Loss, 1e-5);
    }

    [Fact]
    public void Stream_loss_predicts_each_token_from_at_least_half_a_block_of_the_text_before_it()
    {
        var tokenizer = TokenizerFactory.FromText(TokenizerKind.Char, Verse.Text);
        var ids = tokenizer.EncodeToIds(Verse.Text).ToArray()[..40];
        const int block = 8, half = 4;
        var model = new CharTransformerModel(Config(tokenizer, block), seed: 5);
        // Token p + 1 predicted from the window that ends at the first multiple of half a block past p (within the first
        // block, from the start): one forward per token, no batching or lanes.
        double total = 0;
        var logp = new float[tokenizer.VocabularySize];
        for (int p = 0; p < 39; p++)
        {
            int end = p < block ? Math.Min(block, 39) : Math.Min(39, block + (p + 1 - block + half - 1) / half * half);
            int start = Math.Max(0, end - block);
            Assert.True(p < block || p - start >= half, $"token {p + 1} would see only {p - start} tokens before it");
            var logits = model.Forward(ids.AsSpan(start, end - start), 1, end - start);
            Ops.LogSoftmaxRow(logits.Data.AsSpan((p - start) * tokenizer.VocabularySize, tokenizer.VocabularySize), logp);
            total -= logp[ids[p + 1]];
        }
        var (loss, tokens) = Evaluator.StreamLoss(model, ids);
        Assert.Equal(39, tokens);
        Assert.Equal(total / 39, loss, 1e-5);
    }

    [Fact]
    public void Settings_the_transformer_cannot_honour_are_refused_by_name()
    {
        var tokenizer = TokenizerFactory.FromText(TokenizerKind.Char, Verse.Text);
        var config = Config(tokenizer, block: 8);
        Assert.Contains("block size 8", Assert.Throws<ArgumentException>(() => TransformerTrainer.Start(config, Run(5), Verse, tokenizer)).Message);
        var fits = Run(5) with { SeqLen = 8 };
        Assert.Contains("Dropout = 0", Assert.Throws<ArgumentException>(() => TransformerTrainer.Start(config, fits with { Dropout = 0.1f }, Verse, tokenizer)).Message);
        Assert.Contains("CheckpointPath", Assert.Throws<ArgumentException>(() => TransformerTrainer.Start(config, fits with { CheckpointPath = "x.safetensors" }, Verse, tokenizer)).Message);
        Assert.Contains("VocabularySize", Assert.Throws<ArgumentException>(() => TransformerTrainer.Start(config with { VocabularySize = 3 }, fits, Verse, tokenizer)).Message);
    }
}
