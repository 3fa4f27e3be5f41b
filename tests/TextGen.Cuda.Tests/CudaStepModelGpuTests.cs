// Generation through the CUDA engine's step model on a GPU: its logits against TextGen's CPU step session from the same
// weights, the library's generators driving it (sampling and beams give the CPU's tokens under one seed, across calls), and
// an engine that only generates holding no optimizer state.
using TextGen.Cuda;
using TextGen.Generation;
using TextGen.Nn;
using Xunit;

namespace TextGen.Tests.Cuda;

[Trait("Category", "Gpu")]
public class CudaStepModelGpuTests
{
    private static (CudaEngine Gpu, StepSession Cpu) Pair(RecurrentArch arch, ulong seed)
    {
        var config = GpuParity.TinyModel(arch) with { NumLayers = 3, HiddenSize = 40 };
        var weights = CharRnnModel.InitialParameters(config, seed);
        var model = new CharRnnModel(config);
        model.LoadStateDict(GpuParity.Tensors(config, weights));
        model.Eval();
        return (new CudaEngine(config, GpuParity.Tensors(config, weights), learningRate: 0.01), new StepSession(model));
    }

    [Theory]
    [InlineData(RecurrentArch.Lstm)]
    [InlineData(RecurrentArch.Gru)]
    [InlineData(RecurrentArch.Rnn)]
    [InlineData(RecurrentArch.RnnRelu)]
    public void Step_model_logits_and_state_match_the_cpu_step_session_token_by_token_and_as_a_prompt(RecurrentArch arch)
    {
        GpuRequirement.Device();
        var (engine, cpu) = Pair(arch, seed: 50);
        using var _ = engine;
        var gpu = engine.CreateStepModel();
        var ids = GpuParity.RandomBatch(11, 1, 12, seed: 51).Tokens;
        var (gs, cs) = (gpu.CreateState(), cpu.CreateState());
        var (gl, cl) = (new float[11], new float[11]);
        gpu.Feed(gs, ids.AsSpan(0, 5), gl);                       // a prompt of five
        cpu.Feed(cs, ids.AsSpan(0, 5), cl);
        GradCheck.AssertClose(cl, gl, rel: 1e-4, abs: 1e-5, what: $"{arch} logits after the prompt");
        for (int t = 5; t < ids.Length; t++)                      // then one at a time
        {
            gpu.Feed(gs, ids.AsSpan(t, 1), gl);
            cpu.Feed(cs, ids.AsSpan(t, 1), cl);
            GradCheck.AssertClose(cl, gl, rel: 1e-4, abs: 1e-5, what: $"{arch} logits at {t}");
        }
        GradCheck.AssertClose(cs.H, gs.H, rel: 1e-4, abs: 1e-5, what: $"{arch} h");
        GradCheck.AssertClose(cs.C, gs.C, rel: 1e-4, abs: 1e-5, what: $"{arch} c");
        Assert.Equal(ids.Length, gs.Position);
    }

    [Fact]
    public void Sampling_and_beam_search_on_the_gpu_choose_the_cpus_tokens_under_one_seed()
    {
        GpuRequirement.Device();
        var (engine, cpu) = Pair(RecurrentArch.Lstm, seed: 52);
        using var _ = engine;
        var gpu = engine.CreateStepModel();
        var options = new SamplingOptions { Strategy = DecodingStrategy.Sample, Temperature = 0.8f, TopK = 6, TopP = 0.95f, RepetitionPenalty = 1.1f, Seed = 9 };

        var onGpu = TextGenerator.GenerateIds(gpu, [1, 2, 3], 300, options).ToArray();
        var onCpu = TextGenerator.GenerateIds(cpu, [1, 2, 3], 300, options).ToArray();
        var beamsGpu = BeamSearch.Run(gpu, [4, 5], 20, beamWidth: 4);
        var beamsCpu = BeamSearch.Run(cpu, [4, 5], 20, beamWidth: 4);

        Assert.Equal(onCpu, onGpu);
        Assert.Equal(beamsCpu.Select(b => b.Tokens), beamsGpu.Select(b => b.Tokens));
        Assert.True(onGpu.Distinct().Count() > 3, "sampling drew almost one token: the test would not tell strategies apart");
    }

    [Fact]
    public void An_engine_that_only_generates_allocates_no_gradients_or_moments()
    {
        GpuRequirement.Device();
        var config = new CharRnnConfig(VocabularySize: 65, Arch: RecurrentArch.Lstm, EmbeddingDim: 64, HiddenSize: 512, NumLayers: 2);
        long before = CudaDevice.Default.Allocator.BytesInUse;
        using var engine = new CudaEngine(config, GpuParity.Tensors(config, CharRnnModel.InitialParameters(config, seed: 3)), learningRate: 0.01);
        var model = engine.CreateStepModel();
        var logits = new float[65];
        model.Feed(model.CreateState(), [1, 2, 3], logits);

        long parameterBytes = config.ParameterCount() * sizeof(float);
        Assert.False(engine.Trainer.HasOptimizerState);
        Assert.True(CudaDevice.Default.Allocator.BytesInUse - before < 3 * parameterBytes,
            $"generation holds {(CudaDevice.Default.Allocator.BytesInUse - before) / 1e6:F1} MB for {parameterBytes / 1e6:F1} MB of weights");
        Assert.All(logits, z => Assert.True(float.IsFinite(z)));
    }
}
