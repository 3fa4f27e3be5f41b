// Which engine a run's options ask for, built from the weights it starts with. TextGen's CPU engine is built
// here; the others live in assemblies of their own (TextGen.Cuda, TextGen.TorchSharp) so that the default
// engine never loads cuDNN or libtorch, and they register themselves when their assembly is loaded.
using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using TextGen.Nn;
using TextGen.Tensors;

namespace TextGen.Training;

/// <summary>What an engine factory is given: the model's architecture, its starting weights and the run's settings.</summary>
/// <param name="Config">The architecture.</param>
/// <param name="Parameters">Starting weights on the CPU under PyTorch's names.</param>
/// <param name="Options">The run's settings (optimizer, weight decay, momentum, dropout, device).</param>
public sealed record EngineRequest(CharRnnConfig Config, IReadOnlyDictionary<string, Tensor> Parameters, TrainOptions Options);

/// <summary>Creates the <see cref="ITrainingEngine"/> that a run's <see cref="TrainOptions.Engine"/> and <see cref="TrainOptions.Device"/> name.</summary>
public static class TrainingEngines
{
    private static readonly ConcurrentDictionary<(EngineKind, DeviceType), Func<EngineRequest, ITrainingEngine>> Factories = new();

    /// <summary>Makes an engine available on a device type; an engine assembly calls it from its module initializer.</summary>
    public static void Register(EngineKind kind, DeviceType device, Func<EngineRequest, ITrainingEngine> factory) => Factories[(kind, device)] = factory;

    /// <summary>An engine for <paramref name="options"/> that starts from <paramref name="model"/>'s weights (TextGen's CPU engine trains the model itself).</summary>
    public static ITrainingEngine Create(TrainOptions options, CharRnnModel model)
    {
        if (options.Engine == EngineKind.TextGen && options.Device.Type == DeviceType.Cpu)
            return new TextGenEngine(model, TrainerFactory.CreateOptimizer(options, model));
        var factory = Find(options.Engine, options.Device.Type);
        return factory(new EngineRequest(model.Config, model.StateDict(), options));
    }

    private static Func<EngineRequest, ITrainingEngine> Find(EngineKind kind, DeviceType device)
    {
        if (Factories.TryGetValue((kind, device), out var factory)) return factory;
        // The engine's assembly may sit beside ours without having been loaded yet: loading it runs its registration.
        string assembly = kind == EngineKind.TorchSharp ? "TextGen.TorchSharp" : "TextGen.Cuda";
        try { RuntimeHelpers.RunModuleConstructor(Assembly.Load(assembly).ManifestModule.ModuleHandle); }
        catch (FileNotFoundException) { }
        if (Factories.TryGetValue((kind, device), out factory)) return factory;
        string name = $"the {kind.ToName()} engine on {(device == DeviceType.Cpu ? "cpu" : "cuda")}";
        throw new NotSupportedException(kind == EngineKind.TorchSharp
            ? $"{name} is not loaded in this process: reference {assembly} (it brings TorchSharp-cpu and libtorch, about 1.2 GB; " +
              "in a notebook #r \"nuget: TextGen.TorchSharp\"), or train with --engine textgen"
            : $"{name} is not available: reference {assembly}, or train with --device cpu");
    }
}
