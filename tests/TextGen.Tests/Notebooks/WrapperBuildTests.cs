// The ./textgen wrapper's first build under the conditions `dotnet test` creates on a machine that keeps MSBuild's nodes for
// reuse: the nodes outlive the build holding the output they were handed, so a wrapper that read the build's log through a
// pipe waited for them, and `dotnet test` on a fresh machine stalled in the dev container test until they quit.
using Xunit;

namespace TextGen.Tests.Notebooks;

public class WrapperBuildTests
{
    [Fact]
    public void The_wrapper_runs_the_command_as_soon_as_its_build_is_done_though_build_nodes_stay_behind_and_builds_again_only_for_a_source()
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("./textgen is a bash script; the course's tests run on Linux");
        var dir = Directory.CreateTempSubdirectory("textgen-wrapper-").FullName;
        // Every process started from here carries this mark, so the nodes this build leaves behind can be told from others'.
        var mark = Guid.NewGuid().ToString("N");
        try
        {
            File.Copy(Path.Combine(Course.Root, "textgen"), Path.Combine(dir, "textgen"));
            // A command with two libraries that build side by side, so that MSBuild starts a node of its own for one of them and keeps it.
            foreach (var part in new[] { "First", "Second" })
            {
                Write(dir, $"lib/{part}/{part}.csproj", Project("Library", ""));
                Write(dir, $"lib/{part}/{part}.cs", $"public static class {part} {{ public const string Word = \"{part.ToLowerInvariant()}\"; }}");
            }
            Write(dir, "lib/TextGen.Cli/TextGen.Cli.csproj", Project("Exe",
                "<ItemGroup><ProjectReference Include=\"../First/First.csproj\" /><ProjectReference Include=\"../Second/Second.csproj\" /></ItemGroup>"));
            Write(dir, "lib/TextGen.Cli/Program.cs", "System.Console.WriteLine($\"command built from {First.Word} and {Second.Word}: {string.Join(' ', args)}\");");
            // A `dotnet` ahead of the real one on PATH writes down each build the wrapper starts.
            var builds = Path.Combine(dir, "builds.log");
            Write(dir, "shim/dotnet", $"#!/bin/sh\n[ \"$1\" = build ] && echo build >> '{builds}'\nexec '{RealDotnet()}' \"$@\"\n");
            File.SetUnixFileMode(Path.Combine(dir, "shim/dotnet"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var environment = new Dictionary<string, string?>
            {
                // What a learner's machine has: nodes kept for reuse (CI turns them off), and what `dotnet test` hands down:
                // nodes that keep their parent's stdout.
                ["MSBUILDDISABLENODEREUSE"] = null, ["MSBUILDENSURESTDOUTFORTASKPROCESSES"] = "1", ["DOTNET_NOLOGO"] = "1",
                ["TEXTGEN_WRAPPER_TEST"] = mark, ["PATH"] = $"{Path.Combine(dir, "shim")}:{Environment.GetEnvironmentVariable("PATH")}",
            };
            int Run(string argument, string expected)
            {
                var (code, output) = Course.Run("bash", [Path.Combine(dir, "textgen"), argument], TimeSpan.FromMinutes(3), environment, dir);
                Assert.True(code == 0 && output.Contains($"{expected}: {argument}"), $"the wrapper exited {code}\n{output}");
                return File.Exists(builds) ? File.ReadAllLines(builds).Length : 0;
            }

            Assert.Equal(1, Run("one", "command built from first and second"));
            // A generated file in obj newer than the build (every pack rewrites some) is no reason to build again; a source is.
            var built = File.GetLastWriteTimeUtc(Path.Combine(dir, "lib/TextGen.Cli/bin/Release/net10.0/TextGen.Cli.dll"));
            Write(dir, "lib/TextGen.Cli/obj/Generated.cs", "// written by a build");
            File.SetLastWriteTimeUtc(Path.Combine(dir, "lib/TextGen.Cli/obj/Generated.cs"), built.AddMinutes(1));
            Assert.Equal(1, Run("two", "command built from first and second"));
            Write(dir, "lib/TextGen.Cli/Program.cs", "System.Console.WriteLine($\"command edited: {string.Join(' ', args)}\");");
            File.SetLastWriteTimeUtc(Path.Combine(dir, "lib/TextGen.Cli/Program.cs"), built.AddMinutes(1));
            Assert.Equal(2, Run("three", "command edited"));
        }
        finally
        {
            StopMarked(mark);
            Directory.Delete(dir, recursive: true);
        }
    }

    // The dotnet this test runs with, as the wrapper would find it on PATH.
    private static string RealDotnet() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "dotnet")).FirstOrDefault(File.Exists)
        ?? throw new FileNotFoundException("no dotnet on PATH");

    private static string Project(string outputType, string references) =>
        $"<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>{outputType}</OutputType><TargetFramework>net10.0</TargetFramework>" +
        $"<ImplicitUsings>enable</ImplicitUsings></PropertyGroup>{references}</Project>";

    private static void Write(string dir, string path, string text)
    {
        var file = Path.Combine(dir, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text);
    }

    // The build nodes this test's build left behind, found by the mark in their environment (Linux's /proc; CI runs Linux).
    private static void StopMarked(string mark)
    {
        if (!OperatingSystem.IsLinux()) return;
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out int pid)) continue;
            try
            {
                if (!File.ReadAllText(Path.Combine(proc, "environ")).Contains($"TEXTGEN_WRAPPER_TEST={mark}", StringComparison.Ordinal)) continue;
                using var node = System.Diagnostics.Process.GetProcessById(pid);
                node.Kill();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                // Gone already, or not ours to read.
            }
        }
    }
}
