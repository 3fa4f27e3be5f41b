// Every lesson where learners run it: Jupyter's nbconvert --execute with the .net-csharp kernel of the
// dotnet-interactive tool, in quick mode with the answer key. The same bar as the in-process run: no error,
// nothing on stderr, no quiz answered wrongly or shown as an object table. The kernel's HTTP listener
// binds to loopback only.
using System.Globalization;
using System.Text.Json.Nodes;
using Xunit;

namespace TextGen.Tests.Notebooks;

public class JupyterLessonTests
{
    private static (int ExitCode, string Output, JsonNode? Executed) Execute(string notebook, TimeSpan timeout)
    {
        Course.EnsurePackage();
        Course.EnsureJupyterKernel();
        var outDir = Directory.CreateTempSubdirectory("textgen-nbconvert-").FullName;
        try
        {
            var (code, output) = Course.Run("/usr/bin/jupyter", ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=1200",
                    "--ExecutePreprocessor.kernel_name=.net-csharp", "--output-dir", outDir, notebook], timeout,
                new Dictionary<string, string?> { ["TEXTGEN_QUICK"] = "1", ["TEXTGEN_ANSWER_KEY"] = "1", ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1" });
            var file = Path.Combine(outDir, Path.GetFileName(notebook));
            return (code, output, File.Exists(file) ? JsonNode.Parse(File.ReadAllText(file)) : null);
        }
        finally { Directory.Delete(outDir, true); }
    }

    [Theory]
    [MemberData(nameof(Course.Lessons), MemberType = typeof(Course))]
    public void Lesson_runs_clean_in_jupyter_with_the_dotnet_interactive_kernel(string name)
    {
        var (code, output, executed) = Execute(Path.Combine(Course.NotebooksDir, name), TimeSpan.FromMinutes(15));
        Assert.True(code == 0 && executed is not null, $"{name}: nbconvert exited {code}\n{output}");
        LessonOutputs.AssertClean(name, executed!, output);
    }

    [Fact]
    public void Kernel_http_listener_binds_to_loopback_only()
    {
        // A cell that lists the listening TCP sockets while the kernel runs: /proc/net/tcp{,6}, state 0A = LISTEN.
        var dir = Directory.CreateTempSubdirectory("textgen-listen-").FullName;
        var notebook = Path.Combine(dir, "listen.ipynb");
        const string code = "foreach (var f in new[] { \"/proc/net/tcp\", \"/proc/net/tcp6\" })\n" +
                            "    foreach (var l in System.IO.File.ReadLines(f).Skip(1)) { var p = l.Split(' ', StringSplitOptions.RemoveEmptyEntries); if (p[3] == \"0A\") Console.WriteLine(p[1]); }";
        File.WriteAllText(notebook, new JsonObject
        {
            ["cells"] = new JsonArray(new JsonObject { ["cell_type"] = "code", ["execution_count"] = null, ["metadata"] = new JsonObject(), ["outputs"] = new JsonArray(), ["source"] = code }),
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = ".net-csharp", ["display_name"] = ".NET (C#)", ["language"] = "C#" } },
            ["nbformat"] = 4, ["nbformat_minor"] = 5,
        }.ToJsonString());
        try
        {
            var (exit, output, executed) = Execute(notebook, TimeSpan.FromMinutes(5));
            Assert.True(exit == 0 && executed is not null, output);
            var sockets = executed!["cells"]![0]!["outputs"]!.AsArray().Select(o => OutputCheckText(o!)).SelectMany(t => t.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
            var kernelPorts = sockets.Select(s => (Address: s[..s.IndexOf(':')], Port: int.Parse(s[(s.IndexOf(':') + 1)..], NumberStyles.HexNumber)))
                .Where(s => s.Port is >= 2048 and <= 3000).ToList();
            Assert.NotEmpty(kernelPorts);   // the listener is on (the kernel's front-end scripts need it) ...
            Assert.All(kernelPorts, s => Assert.True(s.Address is "0100007F" or "00000000000000000000000001000000",
                $"the kernel listens on {s.Address}:{s.Port}, which is not loopback"));   // ... and only on 127.0.0.1 / ::1
        }
        finally { Directory.Delete(dir, true); }
    }

    private static string OutputCheckText(JsonNode output) => TextGen.Notebooks.OutputCheck.Join(output["text"]);
}
