// A lesson as a .NET 10 file-based app: the C# cells in order, usings hoisted to the top, the
// library referenced with #:project, and the kernel's display/HTML helpers defined at the end.
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TextGen.Notebooks;

/// <summary>Writes notebooks as single-file C# programs.</summary>
public static class NotebookExporter
{
    /// <summary>Exports <paramref name="notebookPath"/> to <paramref name="outputPath"/>.</summary>
    public static void Export(string notebookPath, string outputPath)
    {
        var notebook = Notebook.Load(notebookPath);
        var outDir = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
        var usings = new SortedSet<string>(StringComparer.Ordinal);
        var body = new StringBuilder();
        string? project = null;
        foreach (var cell in notebook.Cells.Where(c => c.CellType == "code" && c.Kernel is "csharp" or "C#"))
        {
            foreach (var line in DisplayTrailingExpression(NotebookRunner.Prepare(cell)).Split('\n'))
            {
                var t = line.Trim();
                if (t.StartsWith("#r \"", StringComparison.Ordinal))
                {
                    // #r "../lib/TextGen/bin/Release/net10.0/TextGen.dll" -> the project that builds it.
                    var dll = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(notebook.Path)!, t[4..t.LastIndexOf('"')]));
                    var name = Path.GetFileNameWithoutExtension(dll);
                    var csproj = FindProject(dll, name);
                    if (csproj is not null && name == "TextGen") project = Path.GetRelativePath(outDir, csproj);
                    continue;
                }
                if (t.StartsWith("using ", StringComparison.Ordinal) && t.EndsWith(';') && !t.Contains('(')) { usings.Add(t); continue; }
                body.Append(line).Append('\n');
            }
            body.Append('\n');
        }
        var sb = new StringBuilder();
        sb.Append($"// {Path.GetFileName(notebook.Path)} as a program: `dotnet run {Path.GetFileName(outputPath)}`.\n");
        if (project is not null) sb.Append($"#:project {project.Replace('\\', '/')}\n");
        sb.Append("#:property PublishAot=false\n");
        foreach (var u in usings) sb.Append(u).Append('\n');
        sb.Append('\n').Append(body);
        sb.Append("static Shown display(object? value) { Console.WriteLine(value); return new Shown(); }\n");
        sb.Append("static string HTML(string html) => html;\n");
        sb.Append("/// <summary>Stands in for the notebook's display handle: updates print a new line.</summary>\n");
        sb.Append("class Shown { public void Update(object? value) => Console.WriteLine(value); }\n");
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

    private static string? FindProject(string dll, string name)
    {
        for (var d = new DirectoryInfo(Path.GetDirectoryName(dll)!); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, name + ".csproj");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
