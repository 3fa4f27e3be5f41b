// A lesson as a .NET 10 file-based app, which needs no notebook kernel: the title and prose as comments, each
// headed section as a #region with its cells in order, usings hoisted to the top, the course's packages as #:project
// (built from this repository; other packages as #:package), and the kernel's display helpers defined at the end:
// text is printed, a chart is written as an SVG file beside the program. The program compiles the way the kernel
// compiles cells (no nullable analysis, warnings stay warnings), so a check a learner has not answered yet
// (`Tensor x = null; // ✎ ...`) runs and reports "not answered yet", as in the notebook.
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive.Documents;

namespace TextGen.Notebooks;

/// <summary>Writes notebooks as single-file C# programs.</summary>
public static partial class NotebookExporter
{
    [GeneratedRegex(@"^#r\s+""nuget:\s*(?<name>[^,""\s]+)\s*(,\s*(?<version>[^""\s]+))?\s*""")]
    private static partial Regex NugetReference();

    [GeneratedRegex(@"^#+\s+(?<title>.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    /// <summary>The namespaces the C# kernel opens in every cell, which a program must open itself.</summary>
    private static readonly string[] KernelUsings = ["System", "System.Collections", "System.Collections.Generic", "System.Linq", "System.Text", "System.Threading.Tasks"];

    /// <summary>Exports <paramref name="notebookPath"/> to <paramref name="outputPath"/>; returns the names it had to respell (see <see cref="CellScopes"/>).</summary>
    public static IReadOnlyList<(string Old, string New)> Export(string notebookPath, string outputPath)
    {
        var (document, _) = NotebookRunner.Read(Path.GetFullPath(notebookPath));
        var outDir = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
        var root = CoursePackage.FindRepository(Path.GetDirectoryName(Path.GetFullPath(notebookPath))!);
        // The namespaces the kernel and the notebook extension open in every cell.
        var namespaces = new SortedSet<string>([.. KernelUsings, .. TextGen.Course.Lesson.Namespaces], StringComparer.Ordinal);
        var directives = new List<string>();
        var parts = new List<(string? Markdown, int? Cell)>();
        var code = new List<string>();
        foreach (var element in document.Elements)
        {
            if (element.KernelName is "markdown" or "md") { parts.Add((element.Contents, null)); continue; }
            if (!NotebookRunner.IsCode(element) || NotebookRunner.KernelNameOf(element) != KernelHost.CSharp) continue;
            var body = new StringBuilder();
            foreach (var line in element.Contents.Replace("\r\n", "\n").Split('\n'))
            {
                var t = line.Trim();
                if (t.StartsWith("#!", StringComparison.Ordinal)) continue;
                // The setup cell's note on preparing the package is about notebooks; a program builds the library itself.
                if (t.StartsWith("//", StringComparison.Ordinal) && t.Contains(CoursePackage.SetupCommand, StringComparison.Ordinal)) continue;
                if (NugetReference().Match(t) is { Success: true } m) { directives.AddRange(PackageDirectives(m, root, outDir)); continue; }
                body.Append(line).Append('\n');
            }
            if (body.ToString().Trim().Length == 0) continue;
            parts.Add((null, code.Count));
            code.Add(body.ToString().TrimEnd() + "\n");
        }
        // A cell's usings stay in it while the cells are bound (where a later cell sees them too), then move to the top.
        var scopes = new CellScopes(code, namespaces);
        var statements = Enumerable.Range(0, code.Count).Select(i => WithoutUsings(scopes.Rewrite(i), namespaces)).ToList();
        var name = Path.GetFileNameWithoutExtension(outputPath);
        var sb = new StringBuilder();
        sb.Append($"// {Path.GetFileName(notebookPath)} as a program that needs no notebook kernel: `dotnet run {Path.GetFileName(outputPath)}`\n");
        sb.Append("// (TEXTGEN_QUICK=1 shrinks its training runs to seconds). Written by `./textgen notebook export`; charts are\n");
        sb.Append($"// written beside it as {name}.chart-N.svg.\n");
        foreach (var d in directives.Distinct()) sb.Append(d).Append('\n');
        if (directives.Any(d => d.StartsWith("#:package", StringComparison.Ordinal)))
            sb.Append("#:property ManagePackageVersionsCentrally=false\n");
        // As the kernel compiles cells: its usings only, no nullable analysis (a check's unanswered `null` is fine), and
        // warnings that stay warnings, wherever the file is (the repository's Directory.Build.props asks otherwise).
        sb.Append("#:property ImplicitUsings=disable\n#:property Nullable=disable\n#:property TreatWarningsAsErrors=false\n#:property PublishAot=false\n");
        // The library's training loops run optimized, as from the notebook's package (`dotnet run` builds Debug otherwise).
        sb.Append("#:property Configuration=Release\n");
        foreach (var n in namespaces) sb.Append($"using {n};\n");
        AppendCells(sb, parts, statements);
        sb.Append(Helpers.Replace("NAME", name));
        TextGen.Training.AtomicFile.WriteAllText(outputPath, sb.ToString());
        return scopes.Renames;
    }

    // Markdown becomes comments; each heading that leads code opens a #region, closed at the next heading or the end.
    private static void AppendCells(StringBuilder sb, List<(string? Markdown, int? Cell)> parts, List<string> statements)
    {
        bool open = false;
        for (int i = 0; i < parts.Count; i++)
        {
            var (markdown, cell) = parts[i];
            if (markdown is not null)
            {
                var heading = Heading().Match(markdown);
                bool leadsCode = parts.Skip(i + 1).TakeWhile(p => p.Markdown is null || !Heading().IsMatch(p.Markdown)).Any(p => p.Cell is not null);
                if (heading.Success && open) { sb.Append("#endregion\n"); open = false; }
                sb.Append('\n');
                if (heading.Success && leadsCode && i > 0) { sb.Append($"#region {heading.Groups["title"].Value.Trim()}\n"); open = true; }
                foreach (var line in markdown.Replace("\r\n", "\n").TrimEnd().Split('\n')) sb.Append(line.Length == 0 ? "//" : "// " + line).Append('\n');
                continue;
            }
            sb.Append('\n').Append(statements[cell!.Value]);
        }
        if (open) sb.Append("#endregion\n");
    }

    /// <summary>The code without its using directives, whose namespaces go into <paramref name="namespaces"/>.</summary>
    private static string WithoutUsings(string code, SortedSet<string> namespaces)
    {
        var kept = new StringBuilder();
        foreach (var line in code.Split('\n'))
        {
            var t = line.Trim();
            // A using directive, not a using declaration (`using var x = ...;`) or statement (`using (...)`).
            if (t.StartsWith("using ", StringComparison.Ordinal) && t.EndsWith(';') && !t.Contains('(') && !t.Contains('=')) namespaces.Add(t["using ".Length..^1].Trim());
            else kept.Append(line).Append('\n');
        }
        return kept.ToString().TrimEnd() + "\n";
    }

    /// <summary>
    /// A course package becomes the projects it ships (<see cref="CoursePackage.ShippedProjects"/>) when the notebook is
    /// in a clone of the repository; any other package, or the course's outside a clone, stays a package reference.
    /// </summary>
    private static IEnumerable<string> PackageDirectives(Match reference, string? root, string outDir)
    {
        var id = reference.Groups["name"].Value;
        if (root is not null && CoursePackage.PackageProjects.ContainsKey(id))
            return CoursePackage.ShippedProjects(root, id).Select(p => $"#:project {Path.GetRelativePath(outDir, p).Replace('\\', '/')}");
        return [$"#:package {id}@{(reference.Groups["version"].Success ? reference.Groups["version"].Value : "*")}"];
    }

    private const string Helpers = """

// What the notebook's kernel shows, as a program shows it: text on the console, a chart as an SVG file beside the program.
#pragma warning disable CS8321 // a lesson may not use every helper
static Shown display(object value) => Shown.Show(value);
static string HTML(string html) => html;
#pragma warning restore CS8321

/// <summary>Stands in for the notebook's display handle: an update shows the new value.</summary>
sealed class Shown
{
    private static int charts;

    public static Shown Show(object value)
    {
        if (value is Plotly.NET.GenericChart chart)
        {
            var folder = AppContext.GetData("EntryPointFileDirectoryPath") as string ?? Environment.CurrentDirectory;
            var file = System.IO.Path.Combine(folder, $"NAME.chart-{++charts}.svg");
            System.IO.File.WriteAllText(file, TextGen.Viz.SvgRenderer.Render(chart));
            Console.WriteLine($"(chart written to {file})");
        }
        else Console.WriteLine(value);
        return new Shown();
    }

    public void Update(object value) => Show(value);
}

""";
}
