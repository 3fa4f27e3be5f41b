// One hash of everything outside a lesson that can move its numbers: the library (engine, layers, trainer, sampling),
// the course (claims, checks, the lesson budget), the benchmark helpers lessons time with, the corpus catalog and the
// package versions. A full run records it in each lesson's stamp; a later change to any of these files makes every
// lesson due for verification again, since any of them may change what a lesson measures.
using System.Text;

namespace TextGen.Notebooks;

/// <summary>The fingerprint of the sources a lesson's numbers depend on, in a repository checkout.</summary>
public static class SourceFingerprint
{
    /// <summary>Folders whose sources (.cs, .csproj, .json, .props) count, relative to the repository root; bin and obj are left out.</summary>
    public static IReadOnlyList<string> Folders { get; } = ["lib/TextGen", "lib/TextGen.Course"];

    /// <summary>Single files that count, relative to the repository root.</summary>
    public static IReadOnlyList<string> Files { get; } = ["data/catalog.json", "Directory.Packages.props", "Directory.Build.props"];

    private static readonly string[] Extensions = [".cs", ".csproj", ".json", ".props"];

    /// <summary>
    /// Hex SHA-256 over each counted file's path (relative, with '/') and text (\r\n read as \n), in ordinal order of
    /// the paths; a missing folder or file counts as absent. Empty when <paramref name="repositoryRoot"/> is null.
    /// </summary>
    public static string Of(string? repositoryRoot)
    {
        if (repositoryRoot is null) return "";
        var paths = new List<string>();
        foreach (var folder in Folders)
        {
            var full = Path.Combine(repositoryRoot, folder);
            if (!Directory.Exists(full)) continue;
            paths.AddRange(Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories)
                .Where(p => Extensions.Contains(Path.GetExtension(p)) && !IsBuildOutput(Path.GetRelativePath(full, p))));
        }
        paths.AddRange(Files.Select(f => Path.Combine(repositoryRoot, f)).Where(File.Exists));
        var all = new StringBuilder();
        foreach (var relative in paths.Select(p => Path.GetRelativePath(repositoryRoot, p).Replace('\\', '/')).Order(StringComparer.Ordinal))
            all.Append(relative).Append('\0').Append(File.ReadAllText(Path.Combine(repositoryRoot, relative)).Replace("\r\n", "\n")).Append('\0');
        return OutputStamp.Hash(all.ToString());
    }

    private static bool IsBuildOutput(string relative) =>
        relative.Replace('\\', '/').Split('/') is var parts && parts.Length > 1 && parts[..^1].Any(p => p is "bin" or "obj");
}
