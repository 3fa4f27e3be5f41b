// Makes the TorchSharp engine available to TrainingEngines as soon as this assembly loads (TrainingEngines.Find loads
// it by name), without loading libtorch: only building an engine does that.
using System.Runtime.CompilerServices;
using TextGen.Tensors;
using TextGen.Training;

namespace TextGen.TorchSharp;

internal static class TorchSharpEngineRegistration
{
#pragma warning disable CA2255 // TrainingEngines finds engines in other assemblies by running this assembly's module initializer.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        TrainingEngines.Register(EngineKind.TorchSharp, DeviceType.Cpu, request => new TorchSharpEngine(request));
        TrainingEngines.Register(EngineKind.TorchSharp, DeviceType.Cuda, request => new TorchSharpEngine(request));
    }
}
