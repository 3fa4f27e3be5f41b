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

    /// <summary>
    /// Runs a program to its end (or the timeout, which kills it); returns its exit code and its stdout and stderr together.
    /// A program whose output stays open a minute after it exited returns -2: something it started still holds the output.
    /// </summary>
    public static (int ExitCode, string Output) Run(string file, IEnumerable<string> args, TimeSpan timeout, IDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? Root };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string?>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var output = new System.Text.StringBuilder();
        // Process.WaitForExit() would wait for the end of the output with no bound, so each stream's end is awaited here instead.
        TaskCompletionSource outEnd = new(), errEnd = new();
        void Receive(string? line, TaskCompletionSource end)
        {
            if (line is null) end.TrySetResult();
            else lock (output) output.AppendLine(line);
        }
        p.OutputDataReceived += (_, e) => Receive(e.Data, outEnd);
        p.ErrorDataReceived += (_, e) => Receive(e.Data, errEnd);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(TimeSpan.FromSeconds(30));
            lock (output) return (-1, $"timed out after {timeout.TotalMinutes:F0} min\n{output}");
        }
        if (!Task.WaitAll([outEnd.Task, errEnd.Task], TimeSpan.FromMinutes(1)))
            lock (output) return (-2, $"exited {p.ExitCode}, but its output was still open a minute later: a process it started holds it " +
                $"(an MSBuild node kept for reuse, for one)\n{output}");
        lock (output) return (p.ExitCode, output.ToString());
    }
}
