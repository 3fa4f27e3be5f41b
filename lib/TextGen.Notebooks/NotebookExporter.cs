// A lesson as a .NET 10 file-based app: the C# cells in order, usings hoisted to the top, package
// references as #:package (the course's own package as #:project, built from this repository), and the
// kernel's display helpers defined at the end: text is printed, a chart is written as an SVG file.
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TextGen.Notebooks;

/// <summary>Writes notebooks as single-file C# programs.</summary>
public static partial class NotebookExporter
{
    [GeneratedRegex(@"^#r\s+""nuget:\s*(?<name>[^,""\s]+)\s*(,\s*(?<version>[^""\s]+))?\s*""")]
    private static partial Regex NugetReference();

    /// <summary>Exports <paramref name="notebookPath"/> to <paramref name="outputPath"/>.</summary>
    public static void Export(string notebookPath, string outputPath)
    {
        var (document, _) = NotebookRunner.Read(Path.GetFullPath(notebookPath));
        var outDir = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
        // The namespaces the notebook extension opens in every lesson, which a program must name itself.
        var usings = new SortedSet<string>(TextGen.Course.Lesson.Namespaces.Select(n => $"using {n};"), StringComparer.Ordinal);
        var directives = new List<string>();
        var body = new StringBuilder();
        foreach (var cell in document.Elements.Where(c => NotebookRunner.IsCode(c) && c.KernelName is KernelHost.CSharp or "C#" or "c#"))
        {
            foreach (var line in DisplayTrailingExpression(cell.Contents).Split('\n'))
            {
                var t = line.Trim();
                if (t.StartsWith("#!", StringComparison.Ordinal) || t.StartsWith("#i ", StringComparison.Ordinal)) continue;
                // The setup cell's note on preparing the package is about notebooks; a program builds the library itself.
                if (t.StartsWith("//", StringComparison.Ordinal) && t.Contains(CoursePackage.SetupCommand, StringComparison.Ordinal)) continue;
                if (NugetReference().Match(t) is { Success: true } m)
                {
                    if (m.Groups["name"].Value == "TextGen" && FindLibraryProjects(notebookPath) is { } projects)
                        directives.AddRange(projects.Select(project => $"#:project {Path.GetRelativePath(outDir, project).Replace('\\', '/')}"));
                    else
                        directives.Add($"#:package {m.Groups["name"].Value}@{(m.Groups["version"].Success ? m.Groups["version"].Value : "*")}");
                    continue;
                }
                if (t.StartsWith("using ", StringComparison.Ordinal) && t.EndsWith(';') && !t.Contains('(')) { usings.Add(t); continue; }
                body.Append(line).Append('\n');
            }
            body.Append('\n');
        }
        var sb = new StringBuilder();
        sb.Append($"// {Path.GetFileName(notebookPath)} as a program: `dotnet run {Path.GetFileName(outputPath)}`.\n");
        foreach (var d in directives.Distinct()) sb.Append(d).Append('\n');
        sb.Append("#:property PublishAot=false\n");
        foreach (var u in usings) sb.Append(u).Append('\n');
        sb.Append('\n').Append(body);
        sb.Append("""
#pragma warning disable CS8321 // a lesson may not use every helper
static Shown display(object? value)
{
    if (value is Plotly.NET.GenericChart chart)
    {
        var file = $"chart-{++Shown.Charts}.svg";
        File.WriteAllText(file, TextGen.Viz.SvgRenderer.Render(chart));
        Console.WriteLine($"(chart written to {file})");
    }
    else Console.WriteLine(value);
    return new Shown();
}
static string HTML(string html) => html;
#pragma warning restore CS8321
/// <summary>Stands in for the notebook's display handle: an update prints a new line.</summary>
class Shown { public static int Charts; public void Update(object? value) => Console.WriteLine(value); }

""");
        TextGen.Training.AtomicFile.WriteAllText(outputPath, sb.ToString());
    }

    /// <summary>A cell's last expression without a semicolon is what the kernel displays; a program must say display(...).</summary>
    internal static string DisplayTrailingExpression(string code)
    {
        var tree = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script));
        var last = tree.GetCompilationUnitRoot().Members.LastOrDefault();
        if (last is GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } statement })
        {
            var span = statement.Expression.Span;
            return code[..span.Start] + "display(" + code[span.Start..span.End] + ");" + code[span.End..];
        }
        return code;
    }

    /// <summary>
    /// The projects of the package's library in the repository that holds the notebook, if it is in one:
    /// lib/TextGen, lib/TextGen.Course, and lib/TextGen.Cuda, with which lessons 1 and 7 probe for a GPU.
    /// </summary>
    private static string[]? FindLibraryProjects(string notebookPath)
    {
        for (var d = new DirectoryInfo(Path.GetDirectoryName(Path.GetFullPath(notebookPath))!); d is not null; d = d.Parent)
        {
            var library = Path.Combine(d.FullName, "lib", "TextGen", "TextGen.csproj");
            if (File.Exists(library)) return [library, Path.Combine(d.FullName, "lib", "TextGen.Course", "TextGen.Course.csproj"), Path.Combine(d.FullName, "lib", "TextGen.Cuda", "TextGen.Cuda.csproj")];
        }
        return null;
    }
}
