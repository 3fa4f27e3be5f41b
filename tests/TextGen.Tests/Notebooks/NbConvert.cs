// Jupyter's nbconvert for the picture tests: notebooks to HTML (stored outputs, nothing run), and a notebook run by
// the .net-csharp kernel; tools/install-kernel.sh (through Installers) installs Jupyter and the kernel when missing.
using System.Text.Json.Nodes;

namespace TextGen.Tests.Notebooks;

/// <summary>Runs /usr/bin/jupyter nbconvert, installing Jupyter and the C# kernel first when missing.</summary>
public static class NbConvert
{
    public const string Jupyter = "/usr/bin/jupyter";
    // The debugger note Debian's Python prints on every start is noise in a failure message.
    private static Dictionary<string, string?> Quiet() => new() { ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1" };

    private static bool Works(string file, params string[] args) => File.Exists(file) && Course.Run(file, args, TimeSpan.FromMinutes(1), Quiet()).ExitCode == 0;

    private static bool HasNbConvert() => Works("/usr/bin/python3", "-c", "import nbconvert, nbclient") && File.Exists(Jupyter);

    /// <summary>
    /// True when Jupyter's .net-csharp kernelspec starts the dotnet-interactive tool at the version .config/dotnet-tools.json
    /// pins, from the folder `dotnet tool restore` put it in, with its HTTP listener on loopback only.
    /// </summary>
    public static bool HasPinnedKernel()
    {
        if (!HasNbConvert()) return false;
        var argv = KernelArgv(".net-csharp");
        return argv is ["dotnet", var dll, ..] && File.Exists(dll) && argv.Contains("--http-local-only")
            && dll.Replace('\\', '/').Contains($"/microsoft.dotnet-interactive/{PinnedToolVersion}/", StringComparison.Ordinal);
    }

    /// <summary>The dotnet-interactive version the repository's tool manifest pins.</summary>
    public static string PinnedToolVersion => JsonNode.Parse(File.ReadAllText(Path.Combine(Course.Root, ".config", "dotnet-tools.json")))!
        ["tools"]!["microsoft.dotnet-interactive"]!["version"]!.GetValue<string>();

    /// <summary>The argv of an installed Jupyter kernelspec, or an empty list when there is none.</summary>
    public static IReadOnlyList<string> KernelArgv(string kernel)
    {
        if (!File.Exists(Jupyter)) return [];
        var (code, output) = Course.Run(Jupyter, ["kernelspec", "list", "--json"], TimeSpan.FromMinutes(1), Quiet());
        int at = output.IndexOf('{');
        if (code != 0 || at < 0) return [];
        // Run merges stderr into the output, where Python may warn; the JSON is the outermost braces.
        var dir = JsonNode.Parse(output[at..(output.LastIndexOf('}') + 1)])?["kernelspecs"]?[kernel]?["resource_dir"]?.GetValue<string>();
        if (dir is null || !File.Exists(Path.Combine(dir, "kernel.json"))) return [];
        return [.. JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "kernel.json")))!["argv"]!.AsArray().Select(a => a!.GetValue<string>())];
    }

    /// <summary>Converts <paramref name="notebooks"/> to HTML files in <paramref name="outDir"/> (same names, .html) in one nbconvert run.</summary>
    public static void ToHtml(IReadOnlyList<string> notebooks, string outDir)
    {
        if (!HasNbConvert()) Course.EnsureJupyterKernel();
        var (code, output) = Course.Run(Jupyter, ["nbconvert", "--to", "html", "--output-dir", outDir, .. notebooks], TimeSpan.FromMinutes(5), Quiet());
        var missing = notebooks.Select(HtmlFor(outDir)).Where(f => !File.Exists(f)).ToList();
        if (code != 0 || missing.Count > 0) throw new InvalidOperationException($"nbconvert --to html exited {code}, missing {string.Join(", ", missing)}:\n{output}");
    }

    /// <summary>Where <see cref="ToHtml"/> writes a notebook's HTML.</summary>
    public static Func<string, string> HtmlFor(string outDir) => notebook => Path.Combine(outDir, Path.GetFileNameWithoutExtension(notebook) + ".html");

    /// <summary>Runs every cell of <paramref name="notebook"/> with the .net-csharp kernel; returns the executed copy's path in <paramref name="outDir"/>.</summary>
    public static string Execute(string notebook, string outDir, IDictionary<string, string?>? environment = null)
    {
        Course.EnsureJupyterKernel();
        var env = Quiet();
        foreach (var (k, v) in environment ?? new Dictionary<string, string?>()) env[k] = v;
        var (code, output) = Course.Run(Jupyter, ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=600",
            "--ExecutePreprocessor.kernel_name=.net-csharp", "--output-dir", outDir, notebook], TimeSpan.FromMinutes(10), env);
        string executed = Path.Combine(outDir, Path.GetFileName(notebook));
        if (code != 0 || !File.Exists(executed)) throw new InvalidOperationException($"nbconvert --execute exited {code}:\n{output}");
        return executed;
    }
}
