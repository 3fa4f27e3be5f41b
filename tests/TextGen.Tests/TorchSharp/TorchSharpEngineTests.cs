// The TorchSharp engine behind the trainer's seam, judged against TextGen's own engine: the same training losses from
// the same seed, the same evaluation of a checkpoint, runs resumed across engines, optimizer state that round-trips,
// the same greedy text, and a clear refusal of CUDA where TorchSharp has none.
using TextGen.Generation;
using TextGen.Nn;
using TextGen.Optim;
using TextGen.Tensors;
using TextGen.Text;
using TextGen.TorchSharp;
using TextGen.Training;
using Xunit;
using TextGen.Tensors.Kernels;

namespace TextGen.Tests.TorchSharp;

[Collection("Blas threads")] // the engine takes Blas.MaxThreads as its thread count, which other tests in this collection change
public class TorchSharpEngineTests : IDisposable
{
    private const double Rel = 1e-4;
    private readonly string dir = Directory.CreateTempSubdirectory("textgen-torch-engine-").FullName;

    public TorchSharpEngineTests() => TorchSharpRuntime.EnsureLoaded();

    public void Dispose() => Directory.Delete(dir, recursive: true);

    // Words drawn by an explicit seed: enough structure that five steps move the loss, about 5,000 characters.
    private static readonly Corpus Text = MakeCorpus();

    private static Corpus MakeCorpus()
    {
        string[] words = ["the", "king", "is", "dead", "long", "live", "queen", "and", "a", "crown", "of", "gold", "river", "runs"];
        var g = new Generator(11);
        var sb = new System.Text.StringBuilder();
        while (sb.Length < 5000) sb.Append(words[g.NextInt(words.Length)]).Append(g.NextFloat() < 0.15f ? ". " : " ");
        return Corpus.FromString(sb.ToString(), "words");
    }

    private static TrainOptions Small(RecurrentArch arch = RecurrentArch.Lstm, int layers = 1, int embedding = 16, bool stateful = true) => new()
    {
        Arch = arch, NumLayers = layers, EmbeddingDim = embedding, HiddenSize = 32, BatchSize = 8, SeqLen = 32, Stateful = stateful,
        LearningRate = 3e-3f, Schedule = ScheduleKind.Constant, Steps = 5, Minutes = null, EvalInterval = 10, Patience = 0, Seed = 7,
    };

    private static float[] Losses(TrainingReport report) => [.. report.History.Select(h => h.TrainLoss)];

    private static void AssertLossesClose(IReadOnlyList<float> expected, IReadOnlyList<float> actual, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Rel * Math.Abs(expected[i]), $"{what}: step {i + 1} loss {actual[i]} vs {expected[i]}");
    }

    [Theory]
    [InlineData(RecurrentArch.Lstm, 1, 16, true, OptimizerKind.Adam, 1f)]
    [InlineData(RecurrentArch.Lstm, 2, 0, false, OptimizerKind.Adam, 0.05f)]
    [InlineData(RecurrentArch.Gru, 2, 16, true, OptimizerKind.Adam, 0f)]
    [InlineData(RecurrentArch.Gru, 1, 0, false, OptimizerKind.AdamW, 1f)]
    [InlineData(RecurrentArch.Rnn, 1, 16, false, OptimizerKind.Adam, 0f)]
    [InlineData(RecurrentArch.Rnn, 2, 0, true, OptimizerKind.Sgd, 0.05f)]
    public void Five_trainer_steps_give_the_same_losses_on_both_engines(RecurrentArch arch, int layers, int embedding, bool stateful, OptimizerKind optimizer, float clip)
    {
        // Clip 0 measures the norm only (an infinite bound); 0.05 clips every step of these small models.
        var options = Small(arch, layers, embedding, stateful) with { Optimizer = optimizer, Clip = clip, WeightDecay = optimizer == OptimizerKind.Adam ? 0f : 0.01f };
        var textgen = TrainingSession.Start(options, Text).Trainer;
        var torch = TrainingSession.Start(options with { Engine = EngineKind.TorchSharp }, Text).Trainer;
        using var engine = torch.Engine;
        Assert.IsType<TorchSharpEngine>(engine);

        var expected = textgen.Run();
        var actual = torch.Run();

        Assert.Equal(5, actual.History.Count);
        AssertLossesClose(Losses(expected), Losses(actual), $"{arch} x{layers} emb {embedding} {optimizer}");
        for (int i = 0; i < 5; i++)
            Assert.Equal(expected.History[i].GradNorm, actual.History[i].GradNorm, Rel * expected.History[i].GradNorm);
        Assert.Equal(expected.FinalValidationLoss!.Value, actual.FinalValidationLoss!.Value, Rel * expected.FinalValidationLoss.Value);
        if (clip > 0 && clip < 1) Assert.All(actual.History, h => Assert.True(h.GradNorm > clip, $"step {h.Step}: norm {h.GradNorm} was not clipped"));
    }

    [Fact]
    public void Dropout_masks_follow_seed_and_step_so_a_resumed_torchsharp_run_repeats_a_straight_one()
    {
        const int n = 3;
        var path = Path.Combine(dir, "dropout.safetensors");
        var options = Small(RecurrentArch.Lstm, layers: 2) with { Engine = EngineKind.TorchSharp, Dropout = 0.3f, Steps = 2 * n };
        float[] Run(TrainOptions o)
        {
            var trainer = TrainingSession.Start(o, Text).Trainer;
            using var engine = trainer.Engine;
            return Losses(trainer.Run());
        }
        var straight = Run(options);
        var without = Run(options with { Dropout = 0f });
        Assert.NotEqual(without[1], straight[1]); // the masks are drawn: dropout changes the loss

        var half = TrainingSession.Start(options with { Steps = n, CheckpointPath = path }, Text).Trainer;
        half.Run();
        half.Engine.Dispose();
        var resumed = TrainingSession.Resume(path, Text, options with { CheckpointPath = path }).Trainer;
        using var engine = resumed.Engine;
        var losses = Losses(resumed.Run());
        Assert.Equal(straight, losses);
    }

    [Fact]
    public void Parameters_come_out_under_textgens_names_in_its_order()
    {
        var options = Small(RecurrentArch.Gru, layers: 2);
        var model = new CharRnnModel(options.Model(20), seed: 3);
        using var engine = new TorchSharpEngine(new EngineRequest(model.Config, model.StateDict(), options));
        var exported = engine.ExportParameters();
        Assert.Equal(model.NamedParameters().Select(p => p.Name), exported.Select(p => p.Key));
        foreach (var (name, p) in model.NamedParameters())
        {
            var t = exported.Single(e => e.Key == name).Value;
            Assert.Equal(p.ShapeArray, t.ShapeArray);
            Assert.Equal(p.Data, t.Data);
        }
    }

    [Fact]
    public void A_checkpoint_the_torchsharp_engine_wrote_evaluates_alike_in_both_engines()
    {
        var path = Path.Combine(dir, "torch.safetensors");
        var options = Small(RecurrentArch.Lstm, layers: 2) with { Engine = EngineKind.TorchSharp, CheckpointPath = path };
        var session = TrainingSession.Start(options, Text);
        using var trained = session.Trainer.Engine;
        session.Trainer.Run();

        var loaded = ModelCheckpoint.Load(path);
        double textgenLoss = Evaluator.StreamLoss(loaded.Model, session.ValidationIds, 64).Loss;
        using var fresh = new TorchSharpEngine(new EngineRequest(loaded.Model.Config, loaded.Model.StateDict(), options));
        double torchLoss = Evaluator.StreamLoss(fresh, session.ValidationIds, 64).Loss;
        double trainedLoss = Evaluator.StreamLoss(trained, session.ValidationIds, 64).Loss;

        Assert.True(textgenLoss < Math.Log(loaded.Model.VocabularySize), $"loss {textgenLoss} is not below ln V: the checkpoint holds untrained weights");
        Assert.Equal(textgenLoss, torchLoss, Rel * textgenLoss);
        Assert.Equal(textgenLoss, trainedLoss, Rel * textgenLoss);
    }

    [Theory]
    [InlineData(EngineKind.TorchSharp, EngineKind.TextGen, OptimizerKind.Adam)]
    [InlineData(EngineKind.TextGen, EngineKind.TorchSharp, OptimizerKind.Adam)]
    [InlineData(EngineKind.TorchSharp, EngineKind.TextGen, OptimizerKind.Sgd)]
    public void A_run_resumed_on_the_other_engine_continues_as_a_straight_run(EngineKind first, EngineKind second, OptimizerKind optimizer)
    {
        const int n = 4;
        var path = Path.Combine(dir, "half.safetensors");
        var options = Small(RecurrentArch.Lstm, layers: 2) with { Optimizer = optimizer, Steps = n };
        var straight = TrainingSession.Start(options with { Steps = 2 * n }, Text).Trainer.Run();

        var half = TrainingSession.Start(options with { Engine = first, CheckpointPath = path }, Text).Trainer;
        var firstReport = half.Run();
        half.Engine.Dispose();
        var resumed = TrainingSession.Resume(path, Text, options with { Engine = second, Steps = 2 * n, CheckpointPath = path }).Trainer;
        using var engine = resumed.Engine;
        Assert.Equal(second, engine.Kind);
        var report = resumed.Run();

        Assert.Equal(2 * n, report.Steps);
        AssertLossesClose(Losses(straight)[..n], Losses(firstReport), $"first {n} steps on {first.ToName()}");
        AssertLossesClose(Losses(straight)[n..], Losses(report)[n..], $"steps {n + 1}-{2 * n} resumed on {second.ToName()}");
    }

    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.Sgd)]
    public void Exported_optimizer_state_imported_into_a_fresh_engine_continues_identically(OptimizerKind optimizer)
    {
        var options = Small(RecurrentArch.Gru, layers: 2) with { Optimizer = optimizer };
        var model = new CharRnnModel(options.Model(12), seed: 5);
        var batches = Enumerable.Range(0, 6).Select(b => MakeBatch(b, 12, options.BatchSize * options.SeqLen)).ToArray();
        using var a = new TorchSharpEngine(new EngineRequest(model.Config, model.StateDict(), options));
        var reference = new TextGenEngine(model, TrainerFactory.CreateOptimizer(options, model));
        for (int s = 0; s < 3; s++)
        {
            Step(a, batches[s], s);
            Step(reference, batches[s], s);
        }

        // The export has TextGen's layout: the same keys and, after the same three steps, the same moments.
        var exported = a.ExportOptimizerState();
        var textgenState = reference.ExportOptimizerState();
        Assert.Equal(textgenState.Kind, exported.Kind);
        Assert.Equal(3, exported.StepCount);
        Assert.Equal(textgenState.Hyperparameters, exported.Hyperparameters);
        Assert.Equal(textgenState.Buffers.Keys.Order(), exported.Buffers.Keys.Order());
        foreach (var (key, values) in textgenState.Buffers)
            GradCheck.AssertClose(values, exported.Buffers[key], rel: 1e-3, abs: 1e-6, what: key);

        using var b = new TorchSharpEngine(new EngineRequest(model.Config, a.ExportParameters().ToDictionary(), options));
        b.ImportOptimizerState(exported);
        b.CarriedState = a.CarriedState;
        for (int s = 3; s < 6; s++)
        {
            float expected = Step(a, batches[s], s), actual = Step(b, batches[s], s);
            Assert.Equal(expected, actual);
        }
        var pa = a.ExportParameters();
        var pb = b.ExportParameters();
        for (int i = 0; i < pa.Count; i++) Assert.Equal(pa[i].Value.Data, pb[i].Value.Data);
    }

    private static (int[] Inputs, int[] Targets) MakeBatch(int index, int vocab, int length)
    {
        var g = new Generator((ulong)(100 + index));
        var ids = Enumerable.Range(0, length + 1).Select(_ => g.NextInt(vocab)).ToArray();
        return (ids[..length], ids[1..]);
    }

    private static float Step(ITrainingEngine engine, (int[] Inputs, int[] Targets) batch, int step)
    {
        float loss = engine.ForwardBackward(new StepBatch(batch.Inputs, batch.Targets, 8, 32) { CarryState = true, Seed = 7, Step = step });
        engine.ClipGradNorm(1f);
        engine.OptimizerStep(3e-3);
        return loss;
    }

    [Theory]
    [InlineData(RecurrentArch.Lstm, 2, 16)]
    [InlineData(RecurrentArch.Gru, 1, 0)]
    [InlineData(RecurrentArch.Rnn, 2, 16)]
    public void Greedy_generation_from_the_step_model_matches_textgens_step_session(RecurrentArch arch, int layers, int embedding)
    {
        var options = Small(arch, layers, embedding);
        var model = new CharRnnModel(options.Model(15), seed: 21);
        using var engine = new TorchSharpEngine(new EngineRequest(model.Config, model.StateDict(), options));
        var torchStep = engine.CreateStepModel();
        var session = new StepSession(model);
        int[] prompt = [3, 1, 4, 1, 5];

        // The logits after the prompt first, so a mismatch shows where it starts.
        var expectedLogits = new float[15];
        var actualLogits = new float[15];
        var s1 = session.CreateState();
        var s2 = torchStep.CreateState();
        session.Feed(s1, prompt, expectedLogits);
        torchStep.Feed(s2, prompt, actualLogits);
        Assert.Equal(s1.H.Length, s2.H.Length);
        Assert.Equal(s1.C.Length, s2.C.Length);
        Assert.Equal(prompt.Length, s2.Position);
        GradCheck.AssertClose(expectedLogits, actualLogits, rel: 1e-4, abs: 1e-5, what: "logits after the prompt");
        GradCheck.AssertClose(s1.H, s2.H, rel: 1e-4, abs: 1e-5, what: "hidden state after the prompt");

        var greedy = new SamplingOptions { Strategy = DecodingStrategy.Greedy };
        var expected = TextGenerator.GenerateIds(session, prompt, 60, greedy).ToArray();
        var actual = TextGenerator.GenerateIds(torchStep, prompt, 60, greedy).ToArray();
        Assert.Equal(60, actual.Length);
        Assert.Equal(expected, actual);
        (torchStep as IDisposable)?.Dispose();
    }

    [Fact]
    public void A_cuda_request_without_cuda_fails_with_one_line_naming_the_fix()
    {
        Assert.False(global::TorchSharp.torch.cuda.is_available()); // this project references TorchSharp-cpu only
        var options = Small() with { Engine = EngineKind.TorchSharp, Device = Device.Cuda };
        var ex = Assert.Throws<NotSupportedException>(() => TrainingSession.Start(options, Text));
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Contains("TorchSharp-cuda-linux", ex.Message);
        Assert.Contains("--device cpu", ex.Message);
    }
}
