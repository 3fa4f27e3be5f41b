// Where the course lives and what running its lessons needs, prepared once per test run: the corpora in
// the cache (from ../shared/data, checksummed), the TextGen package in the repository's feed (the one
// command a learner runs first), and, for the real-kernel tests, Jupyter with the .net-csharp kernel.
using System.Diagnostics;
using TextGen.Notebooks;
using Xunit;

namespace TextGen.Tests.Notebooks;

/// <summary>Paths of the course and the one-time preparation its lesson tests share.</summary>
public static class Course
{
    /// <summary>The repository root (the folder with TextGen.sln).</summary>
    public static string Root { get; } = CoursePackage.FindRepository(AppContext.BaseDirectory)
        ?? throw new DirectoryNotFoundException("TextGen.sln not found above the test assembly");

    /// <summary>The lessons' folder.</summary>
    public static string NotebooksDir => Path.Combine(Root, "notebooks");

    /// <summary>The lessons' file names, in order.</summary>
    public static IReadOnlyList<string> LessonNames { get; } = [.. Directory.GetFiles(Path.Combine(Root, "notebooks"), "*.ipynb").Select(p => Path.GetFileName(p)!).Order()];

    /// <summary>The lessons as xunit data.</summary>
    public static TheoryData<string> Lessons() => new(LessonNames);

    private static readonly Lazy<string> Package = new(() =>
    {
        EnsureCorpora();
        return CoursePackage.Setup(Root, TextWriter.Null);
    });

    /// <summary>Packs the library into the course feed and registers it, once; returns the feed folder.</summary>
    public static string EnsurePackage() => Package.Value;

    /// <summary>Installs Jupyter and the .NET (C#) kernel of the pinned tool when either is missing (<see cref="Installers"/>).</summary>
    public static void EnsureJupyterKernel() => Installers.Ensure(Installers.Kernel, "Jupyter's nbconvert and the .NET (C#) kernel of the pinned dotnet-interactive tool", NbConvert.HasPinnedKernel);

    /// <summary>Fills the corpus cache from ../shared/data (verified against the catalog), as the ./textgen wrapper does.</summary>
    public static void EnsureCorpora()
    {
        var cache = TextGen.Text.CorpusCache.Default();
        foreach (var entry in TextGen.Text.CorpusCatalog.Entries)
            if (!cache.Contains(entry) && File.Exists(SharedData.File(entry.File))) cache.AddFromFile(entry.Name, SharedData.File(entry.File));
    }

    /// <summary>Runs a program to its end (or the timeout, which kills it); returns its exit code and its stdout and stderr together.</summary>
    public static (int ExitCode, string Output) Run(string file, IEnumerable<string> args, TimeSpan timeout, IDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? Root };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string?>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var output = new System.Text.StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            return (-1, $"timed out after {timeout.TotalMinutes:F0} min\n{output}");
        }
        p.WaitForExit();
        lock (output) return (p.ExitCode, output.ToString());
    }
}
