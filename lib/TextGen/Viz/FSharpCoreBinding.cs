// Plotly.NET 6 is built against FSharp.Core 10.1, but the dotnet-interactive kernel (1.0.712001) ships and
// loads FSharp.Core 10.0. Without help the first chart fails with "Could not load FSharp.Core 10.1.0.0";
// this hands the loaded FSharp.Core to requests for a newer minor version of the same major one.
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace TextGen.Viz;

internal static class FSharpCoreBinding
{
    private static int installed;

#pragma warning disable CA2255 // Must run before any chart method is compiled, which is what a module initializer guarantees.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Install()
    {
        if (Interlocked.Exchange(ref installed, 1) == 0) AssemblyLoadContext.Default.Resolving += Resolve;
    }

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName requested)
    {
        if (requested.Name != "FSharp.Core") return null;
        bool SameMajor(Assembly a) => a.GetName() is { Name: "FSharp.Core" } n && n.Version?.Major == requested.Version?.Major;
        var loaded = context.Assemblies.FirstOrDefault(SameMajor);
        if (loaded is not null) return loaded;
        // Not loaded yet: take the host's own copy (asking without a version skips the version check that failed).
        try
        {
            var own = context.LoadFromAssemblyName(new AssemblyName("FSharp.Core"));
            return SameMajor(own) ? own : null;
        }
        catch (FileNotFoundException) { return null; }
    }
}
