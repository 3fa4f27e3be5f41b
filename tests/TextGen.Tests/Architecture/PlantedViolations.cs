// Types that break the dependency rules on purpose, in namespaces of their own inside the test assembly: the rules
// applied to them must fail, which shows that a passing rule over the real assemblies is not passing vacuously.
namespace TextGen.Tests.Architecture.Planted.UsesNn
{
    /// <summary>Holds a layer of TextGen.Nn beside a tensor: a breach of "uses TextGen.Tensors only".</summary>
    internal sealed class HoldsALayer(TextGen.Nn.Linear layer, TextGen.Tensors.Tensor input)
    {
        public TextGen.Tensors.Tensor Output() => layer.Forward(input);
    }
}

namespace TextGen.Tests.Architecture.Planted.UsesTensors
{
    /// <summary>Uses TextGen.Tensors alone: within "uses TextGen.Tensors only".</summary>
    internal static class DoublesATensor
    {
        public static TextGen.Tensors.Tensor Twice(TextGen.Tensors.Tensor x) => TextGen.Tensors.Ops.Scale(x, 2f);
    }
}

namespace TextGen.Tests.Architecture.Planted.UsesCli
{
    /// <summary>Calls into the CLI: a breach of "nothing uses the CLI".</summary>
    internal static class CallsTheCli
    {
        public static int Run() => TextGen.Cli.CliErrors.Run(() => 0);
    }
}
