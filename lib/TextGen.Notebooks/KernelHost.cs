// The .NET Interactive kernel as VS Code and Jupyter run it, hosted in this process: a composite kernel with
// the C# kernel, #r "nuget:" and #i, the kernel helpers (display, HTML), value sharing, the notebook front
// ends' formatter defaults, and the extensions of every package a cell adds.
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace TextGen.Notebooks;

/// <summary>Creates in-process kernels configured like the dotnet-interactive tool's C# kernel.</summary>
public static class KernelHost
{
    /// <summary>Name of the C# kernel, as notebooks name it in their cell metadata.</summary>
    public const string CSharp = "csharp";

    /// <summary>A new kernel; dispose it when the notebook is done.</summary>
    public static CompositeKernel Create()
    {
        var csharp = new CSharpKernel()
            .UseNugetDirective((kernel, packages) =>
            {
                kernel.AddAssemblyReferences(packages.SelectMany(p => p.AssemblyPaths));
                return Task.CompletedTask;
            }, forceRestore: false)
            .UseKernelHelpers()
            .UseValueSharing();
        var composite = new CompositeKernel();
        composite.Add(csharp, ["c#", "C#"]);
        composite.DefaultKernelName = CSharp;
        // What the tool sets for browser front ends (Jupyter, VS Code): objects as HTML, strings as plain text.
        Formatter.DefaultMimeType = HtmlFormatter.MimeType;
        Formatter.SetPreferredMimeTypesFor(typeof(string), PlainTextFormatter.MimeType);
        PackageExtensions.LoadFor(composite);
        return composite;
    }

    /// <summary>Gives the C# kernel the library and its kernel extension from this process's own build, as the package would.</summary>
    public static async Task UseBuiltLibraryAsync(CompositeKernel kernel)
    {
        var csharp = (CSharpKernel)kernel.FindKernelByName(CSharp)!;
        csharp.AddAssemblyReferences([typeof(TextGen.Tensors.Tensor).Assembly.Location, typeof(TextGen.Course.Lesson).Assembly.Location,
            typeof(TextGen.Cuda.CudaProbe).Assembly.Location, typeof(TextGen.Interactive.TextGenKernelExtension).Assembly.Location]);
        await new TextGen.Interactive.TextGenKernelExtension().OnLoadAsync(kernel);
    }

    /// <summary>The cell without its <c>#r "nuget: TextGen, ..."</c> line (and the comment that explains it).</summary>
    public static string WithoutPackageReference(string code) =>
        string.Join('\n', code.Split('\n').Where(line => !line.TrimStart().StartsWith($"#r \"nuget: {CoursePackage.PackageId},", StringComparison.Ordinal)
            && !(line.TrimStart().StartsWith("//", StringComparison.Ordinal) && line.Contains(CoursePackage.SetupCommand, StringComparison.Ordinal))));
}
