// Kernel extensions shipped in NuGet packages (interactive-extensions/dotnet/*.dll), loaded when a cell adds
// the package, as the dotnet-interactive tool does. The tool's loader is not in any library package, so
// this is the same rule in a few lines: every public IKernelExtension in those assemblies, once each.
using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;

namespace TextGen.Notebooks;

internal static class PackageExtensions
{
    public static void LoadFor(CompositeKernel kernel)
    {
        var added = new ConcurrentQueue<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        kernel.RegisterForDisposal(kernel.KernelEvents.Subscribe(new KernelEventObserver(e =>
        {
            if (e is PackageAdded { PackageReference.PackageRoot: { } root }) added.Enqueue(root);
        })));
        kernel.AddMiddleware(async (command, context, next) =>
        {
            await next(command, context);
            while (added.TryDequeue(out var root))
            {
                var dir = Path.Combine(root, "interactive-extensions", "dotnet");
                if (!seen.Add(root) || !Directory.Exists(dir)) continue;
                foreach (var dll in Directory.GetFiles(dir, "*.dll"))
                {
                    var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(dll);
                    foreach (var type in assembly.ExportedTypes.Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IKernelExtension).IsAssignableFrom(t)))
                    {
                        var extension = (IKernelExtension)Activator.CreateInstance(type)!;
                        await extension.OnLoadAsync(kernel);
                        context.Publish(new KernelExtensionLoaded(extension, context.Command));
                    }
                }
            }
        });
    }
}
