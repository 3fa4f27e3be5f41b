// The dev container's creation replayed on this machine: .devcontainer/setup.sh from the repository root, then
// everything a learner relies on afterwards, down to lesson 1 running every cell in Jupyter with the .NET kernel.
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TextGen.Notebooks;
using Xunit;

namespace TextGen.Tests.Notebooks;

// setup.sh re-points the machine-wide NuGet source and deletes the cached package, so nothing may run beside it.
[Collection(ProcessStateCollection.Name)]
public class DevContainerTests
{
    // A TEXTGEN_DATA of the test runner's would send the corpora elsewhere; a fresh container has none.
    private static readonly Dictionary<string, string?> ContainerEnvironment = new() { ["TEXTGEN_DATA"] = null, ["DOTNET_NOLOGO"] = "1" };

    [Fact]
    public void Setup_script_installs_the_kernel_registers_the_package_caches_the_corpora_and_lesson_1_runs_every_cell()
    {
        var (code, log) = Course.Run("bash", [".devcontainer/setup.sh"], TimeSpan.FromMinutes(30), ContainerEnvironment);
        // The lines a learner sees in the creation log, kept with the test's result.
        TestContext.Current.TestOutputHelper?.WriteLine(log);
        Assert.True(code == 0, $"setup.sh exited {code}\n{log}");
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(3, lines.Count(l => l.StartsWith("setup [")));
        Assert.Matches(@"^setup done: open notebooks/01-setup\.ipynb and pick the \.NET \(C#\) kernel", lines[^1]);

        // The tool comes from the repository's manifest (dotnet tool restore), not from a global install.
        var (_, tools) = Course.Run("dotnet", ["tool", "list", "--local"], TimeSpan.FromMinutes(2), ContainerEnvironment);
        Assert.Matches(@"(?im)^microsoft\.dotnet-interactive\s+1\.0\.712001\s+dotnet-interactive\s+.*dotnet-tools\.json", tools);
        var argv = NbConvert.KernelArgv(".net-csharp");
        Assert.Contains("--http-local-only", argv);
        Assert.True(NbConvert.HasPinnedKernel(), $"the .net-csharp kernel does not start the pinned tool: {string.Join(' ', argv)}");

        var feed = CoursePackage.Feed;
        Assert.Equal(feed, SourcePath(CoursePackage.SourceName));
        Assert.True(File.Exists(Path.Combine(feed, $"{CoursePackage.PackageId}.{CoursePackage.Version}.nupkg")), $"no package in {feed}\n{log}");

        var (listCode, list) = Course.Run(Path.Combine(Course.Root, "textgen"), ["data", "list"], TimeSpan.FromMinutes(5), ContainerEnvironment);
        Assert.True(listCode == 0, list);
        Assert.All(TextGen.Text.CorpusCatalog.Entries, e => Assert.Matches($@"(?m)^{Regex.Escape(e.Name)}\s+[\d,]+ bytes  cached  ", list));
        Assert.Contains($"cache: {Path.Combine(Course.Root, "data", "cache")}", list);

        // What the learner does next: open lesson 1 with the .NET kernel and run every cell.
        var outDir = Directory.CreateTempSubdirectory("textgen-devcontainer-").FullName;
        try
        {
            const string lesson = "01-setup.ipynb";
            var (nbCode, nbOutput) = Course.Run("/usr/bin/jupyter", ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=1200",
                    "--ExecutePreprocessor.kernel_name=.net-csharp", "--output-dir", outDir, Path.Combine(Course.NotebooksDir, lesson)], TimeSpan.FromMinutes(15),
                new Dictionary<string, string?>(ContainerEnvironment) { ["TEXTGEN_QUICK"] = "1", ["TEXTGEN_ANSWER_KEY"] = "1", ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1" });
            var executed = Path.Combine(outDir, lesson);
            Assert.True(nbCode == 0 && File.Exists(executed), $"nbconvert exited {nbCode}\n{nbOutput}");
            LessonOutputs.AssertClean(lesson, JsonNode.Parse(File.ReadAllText(executed))!, nbOutput);
        }
        finally { Directory.Delete(outDir, true); }
        // The source is left pointing at this repository's feed, as Course.EnsurePackage would leave it.
    }

    /// <summary>Where an enabled NuGet source points, as `dotnet nuget list source` shows it: "N.  name [Enabled]", then the path.</summary>
    private static string SourcePath(string name)
    {
        var (code, output) = Course.Run("dotnet", ["nuget", "list", "source"], TimeSpan.FromMinutes(2), ContainerEnvironment);
        Assert.True(code == 0, output);
        var lines = output.Split('\n').Select(l => l.Trim()).ToList();
        int at = lines.FindIndex(l => Regex.IsMatch(l, $@"^\d+\.\s+{Regex.Escape(name)} \[Enabled\]$"));
        Assert.True(at >= 0 && at + 1 < lines.Count, $"no enabled NuGet source '{name}':\n{output}");
        return lines[at + 1];
    }
}
