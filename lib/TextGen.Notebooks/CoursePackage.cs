// The one step before the first lesson: pack the library and its kernel extension into the learner's
// local feed (~/.textgen/feed), drop any older copy of the same version from NuGet's cache (a kernel would keep
// using it), and register the feed with NuGet so that `#r "nuget: TextGen, <version>"` finds it in every
// kernel: VS Code, Jupyter, a Codespace, and the in-process runner.
using System.Diagnostics;
using System.Reflection;

namespace TextGen.Notebooks;

/// <summary>Builds the course package and makes it available to notebook kernels.</summary>
public static class CoursePackage
{
    /// <summary>Name of the NuGet source that points at the repository's feed.</summary>
    public const string SourceName = "textgen-course";

    /// <summary>The package id lessons reference.</summary>
    public const string PackageId = "TextGen";

    /// <summary>The package of the TorchSharp engine, which the lesson on TorchSharp loads beside <see cref="PackageId"/>.</summary>
    public const string TorchSharpPackageId = "TextGen.TorchSharp";

    /// <summary>The course's packages and the projects they are packed from, relative to the repository.</summary>
    public static IReadOnlyDictionary<string, string> PackageProjects { get; } = new Dictionary<string, string>
    {
        [PackageId] = "lib/TextGen.Interactive/TextGen.Interactive.csproj",
        [TorchSharpPackageId] = "lib/TextGen.TorchSharp/TextGen.TorchSharp.csproj",
    };

    /// <summary>
    /// The library projects that package <paramref name="packageId"/> ships, as full paths in the clone at
    /// <paramref name="repositoryRoot"/>: for the course package, the projects its project references (it packs their
    /// assemblies beside the kernel extension, so that list in its .csproj is the one place to change); for another
    /// course package, its own project. A program that uses them (an exported lesson) sees what a notebook sees.
    /// </summary>
    public static IReadOnlyList<string> ShippedProjects(string repositoryRoot, string packageId)
    {
        var project = Path.GetFullPath(Path.Combine(repositoryRoot, PackageProjects[packageId]));
        if (packageId != PackageId) return [project];
        var dir = Path.GetDirectoryName(project)!;
        return [.. System.Xml.Linq.XDocument.Load(project).Descendants("ProjectReference")
            .Select(r => Path.GetFullPath(Path.Combine(dir, ((string?)r.Attribute("Include") ?? "").Replace('\\', '/'))))];
    }

    /// <summary>The package version lessons reference: the library's version.</summary>
    public static string Version { get; } =
        typeof(CoursePackage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.1.0";

    /// <summary>The first line of every lesson's setup cell.</summary>
    public static string Reference => $"#r \"nuget: {PackageId}, {Version}\"";

    /// <summary>The command that prepares the package, as lessons and errors quote it.</summary>
    public const string SetupCommand = "./textgen notebook setup";

    /// <summary>
    /// The feed folder: in the user's home, not in the clone, because NuGet fails every restore on the machine, in any
    /// project, once a registered folder is gone, and a clone is often moved or deleted.
    /// </summary>
    public static string Feed { get; } = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".textgen", "feed");

    /// <summary>Packs the clone at <paramref name="repositoryRoot"/> into <see cref="Feed"/>, clears the cached copy and registers the feed; returns the feed folder.</summary>
    public static string Setup(string repositoryRoot, TextWriter log)
    {
        var project = Path.Combine(repositoryRoot, PackageProjects[PackageId]);
        if (!File.Exists(project)) throw new FileNotFoundException($"'{project}' does not exist: run this from a clone of the TextGen repository");
        var feed = Feed;
        var cache = GlobalPackagesFolder();
        foreach (var (id, csproj) in PackageProjects.Select(p => (p.Key, Path.Combine(repositoryRoot, p.Value))))
        {
            log.WriteLine($"packing {id} {Version} into {feed} ...");
            // Without build servers: a build node kept for reuse could hold the output pipes read to their end below for minutes (nodes
            // keep their parent's stdout when this runs inside another build's environment, as under `dotnet test`).
            Dotnet(["pack", csproj, "-c", "Release", "-o", feed, "-nologo", "-v", "q", "--disable-build-servers"]);
            var stale = Path.Combine(cache, id.ToLowerInvariant(), Version);
            if (Directory.Exists(stale))
            {
                Directory.Delete(stale, recursive: true);
                log.WriteLine($"removed the cached copy {stale}, so kernels restore the new one");
            }
        }
        Dotnet(["nuget", "remove", "source", SourceName], allowFailure: true);
        Dotnet(["nuget", "add", "source", feed, "--name", SourceName]);
        log.WriteLine($"NuGet source '{SourceName}' -> {feed}");
        log.WriteLine($"The lessons load it with: {Reference}  (restart a kernel that had loaded an older build)");
        return feed;
    }

    /// <summary>The repository that holds <paramref name="start"/> (a folder with TextGen.sln), or null.</summary>
    public static string? FindRepository(string start)
    {
        for (var d = new DirectoryInfo(Path.GetFullPath(start)); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "TextGen.sln"))) return d.FullName;
        return null;
    }

    private static string GlobalPackagesFolder()
    {
        var output = Dotnet(["nuget", "locals", "global-packages", "--list"]);
        var line = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("global-packages:", StringComparison.Ordinal));
        return line is null ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages") : line["global-packages:".Length..].Trim();
    }

    private static string Dotnet(string[] args, bool allowFailure = false)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_NOLOGO"] = "1";
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start 'dotnet'");
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0 && !allowFailure)
            throw new InvalidOperationException($"'dotnet {string.Join(' ', args)}' failed (exit {p.ExitCode}):\n{stdout}{stderr.Result}".TrimEnd());
        return stdout;
    }
}
