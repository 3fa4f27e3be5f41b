// --engine for train, eval, generate and bench. The TorchSharp engine is loaded only when it is asked for: the CLI
// does not reference it, so that `./textgen` on a fresh machine never restores TorchSharp and libtorch (about
// 1.2 GB). Asked for, it is built from lib/TextGen.TorchSharp when missing or older than its sources; its output
// folder carries TorchSharp and this machine's libtorch, from which AssemblyDependencyResolver loads them.
using System.CommandLine;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using TextGen.Training;

namespace TextGen.Cli.Commands;

internal static class EngineChoice
{
    private static readonly Lock Gate = new();
    private static bool torchSharpLoaded;

    /// <summary>A fresh --engine flag (each command owns its options).</summary>
    public static EnumFlag<EngineKind> Option() =>
        new("--engine", EngineKind.TextGen, "what computes: TextGen's own engine, or the same model in TorchSharp (loaded on first use)");

    /// <summary>Parses the flag's value and makes that engine available in this process.</summary>
    public static EngineKind Read(ParseResult r, EnumFlag<EngineKind> flag)
    {
        var kind = flag.Read(r);
        if (kind == EngineKind.TorchSharp) LoadTorchSharp();
        return kind;
    }

    /// <summary>The engine that --engine and --device name, holding a checkpoint's model (for eval and generate).</summary>
    public static ITrainingEngine Create(ParseResult r, EnumFlag<EngineKind> engine, Option<string> device, TextGen.Nn.CharRnnModel model)
    {
        var options = new TrainOptions { Engine = Read(r, engine), Device = TextGen.Tensors.Device.Parse(r.GetValue(device)!) };
        if (options.Device.Type != TextGen.Tensors.DeviceType.Cpu) DeviceCheck.RequireUsableGpu();
        return TrainingEngines.Create(options, model);
    }

    private static void LoadTorchSharp()
    {
        lock (Gate)
        {
            if (torchSharpLoaded) return;
            // The clone this build came from: the CLI runs from lib/TextGen.Cli/bin/... (or a test's bin folder) inside it.
            string? project = null;
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null && project is null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "lib", "TextGen.TorchSharp", "TextGen.TorchSharp.csproj"))) project = Path.Combine(d.FullName, "lib", "TextGen.TorchSharp");
            if (project is null)
                throw new NotSupportedException($"--engine torchsharp: the engine's sources (lib/TextGen.TorchSharp) are not in a folder above this textgen build ({AppContext.BaseDirectory}); " +
                    "run textgen from a clone of the repository, or use --engine textgen");
            // AssemblyDependencyResolver finds the engine's dependencies but cannot make them: packing the engine with the tool
            // would make every build of it restore TorchSharp and libtorch, so the engine is built here, on first use only.
            string dll = Path.Combine(project, "bin", "Release", "net10.0", "TextGen.TorchSharp.dll");
            if (IsStale(dll, project)) Build(project);
            var context = new EngineLoadContext(dll);
            var assembly = context.LoadFromAssemblyPath(dll);
            RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
            torchSharpLoaded = true;
        }
    }

    // The engine's build is stale when any source it compiles from (its own and the library's) is newer than it, or when it
    // does not carry its dependencies (a build from before the project loaded them from its own folder).
    private static bool IsStale(string dll, string project)
    {
        if (!File.Exists(dll) || !File.Exists(Path.Combine(Path.GetDirectoryName(dll)!, "TorchSharp.dll"))) return true;
        var built = File.GetLastWriteTimeUtc(dll);
        string library = Path.Combine(Path.GetDirectoryName(project)!, "TextGen");
        return new[] { project, library }.SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories))
            .Any(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && File.GetLastWriteTimeUtc(f) > built);
    }

    private static void Build(string project)
    {
        Console.Error.WriteLine("Building the TorchSharp engine (the first build restores TorchSharp-cpu and libtorch, about 1.2 GB) ...");
        // Without build servers: a build node kept for reuse could hold the output pipes read below to their end for minutes.
        var start = new ProcessStartInfo("dotnet", ["build", project, "-c", "Release", "-nologo", "-v", "quiet", "--disable-build-servers"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var build = Process.Start(start) ?? throw new NotSupportedException("--engine torchsharp: could not start `dotnet build`; is the .NET SDK on PATH?");
        var output = build.StandardOutput.ReadToEndAsync();
        var errors = build.StandardError.ReadToEnd();
        build.WaitForExit();
        if (build.ExitCode != 0)
        {
            var firstError = (output.Result + errors).Split('\n').FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase))?.Trim();
            throw new NotSupportedException($"--engine torchsharp: building {project} failed ({firstError ?? $"exit code {build.ExitCode}"}); " +
                "check that NuGet can serve TorchSharp-cpu 0.107.0, or use --engine textgen");
        }
    }

    /// <summary>
    /// Loads the engine's own dependencies (TorchSharp.dll, libtorch) from its output folder as its deps.json lists them, and
    /// leaves every assembly the CLI already has (TextGen itself above all) to the default context, so the types are shared.
    /// </summary>
    private sealed class EngineLoadContext(string dll) : AssemblyLoadContext("textgen-torchsharp-engine")
    {
        private readonly AssemblyDependencyResolver resolver = new(dll);

        protected override Assembly? Load(AssemblyName name)
        {
            // What the CLI itself carries (TextGen, System.*) comes from the default context, loaded or not.
            try { return Default.LoadFromAssemblyName(name); }
            catch (FileNotFoundException) { }
            return resolver.ResolveAssemblyToPath(name) is { } path ? LoadFromAssemblyPath(path) : null;
        }

        protected override IntPtr LoadUnmanagedDll(string name)
        {
            // TorchSharp's own library is TorchSharpRuntime's to load: as shipped, or its copy for Debian 12's libstdc++.
            if (name.Contains("LibTorchSharp", StringComparison.Ordinal)) return IntPtr.Zero;
            return resolver.ResolveUnmanagedDllToPath(name) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
        }
    }
}
