// Five full training steps (forward, loss, backward, clip, optimizer) against PyTorch's.
using TextGen.Nn;
using TextGen.Optim;
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests.Training;

public class TrainingStepParityTests
{
    [Theory]
    [InlineData("lstm_adam_clip")]
    [InlineData("gru_sgd_momentum")]
    public void Five_training_steps_match_pytorch(string name)
    {
        var f = Fixtures.Load("train", name);
        var config = new CharRnnConfig(f.GetProperty("vocab_size").GetInt32(), EnumNames.Parse<RecurrentArch>(f.GetProperty("arch").GetString()!),
            f.GetProperty("embedding_dim").GetInt32(), f.GetProperty("hidden_size").GetInt32(), f.GetProperty("num_layers").GetInt32());
        var model = new CharRnnModel(config);
        model.LoadStateDict(f.GetProperty("params0").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ReadTensor()));
        Optimizer opt = name.Contains("adam") ? new Adam(model.Parameters(), 0.01) : new Sgd(model.Parameters(), 0.1, momentum: 0.9);
        float clip = f.GetProperty("clip").GetSingle();
        int b = f.GetProperty("batch").GetInt32(), t = f.GetProperty("seq_len").GetInt32();
        var losses = f.GetProperty("losses").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        var norms = f.GetProperty("grad_norms").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        int step = 0;
        foreach (var batch in f.GetProperty("batches").EnumerateArray())
        {
            opt.ZeroGrad();
            var (loss, _) = model.Loss(batch.GetProperty("tokens").ReadInts(), batch.GetProperty("targets").ReadInts(), b, t);
            loss.Backward();
            double norm = GradientClipping.ClipGradNorm(model.Parameters(), clip);
            opt.Step();
            Assert.Equal(losses[step], loss.Item(), 1e-5 * losses[step]);
            Assert.Equal(norms[step], norm, 1e-5 * norms[step]);
            step++;
        }
        var sd = model.StateDict();
        foreach (var p in f.GetProperty("params_final").EnumerateObject())
            GradCheck.AssertClose(p.Value.ReadTensor().Data, sd[p.Name].Data, rel: 1e-5, abs: 1e-6, what: $"{name} {p.Name}");
    }
}
