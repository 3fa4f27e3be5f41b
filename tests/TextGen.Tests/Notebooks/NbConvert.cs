// Jupyter's nbconvert for the picture tests: notebooks to HTML (stored outputs, nothing run), and a notebook run by
// the .net-csharp kernel; tools/install-kernel.sh installs Jupyter and the kernel only when they are missing.
using System.Text.Json.Nodes;

namespace TextGen.Tests.Notebooks;

/// <summary>Runs /usr/bin/jupyter nbconvert, installing Jupyter (and the C# kernel, for execution) first when missing.</summary>
public static class NbConvert
{
    public const string Jupyter = "/usr/bin/jupyter";
    private static readonly object InstallLock = new();

    // The debugger note Debian's Python prints on every start is noise in a failure message.
    private static Dictionary<string, string?> Quiet() => new() { ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1" };

    private static bool Works(string file, params string[] args) => File.Exists(file) && Course.Run(file, args, TimeSpan.FromMinutes(1), Quiet()).ExitCode == 0;

    /// <summary>Runs tools/install-kernel.sh when <paramref name="ready"/> says something is missing (once at a time; the script is idempotent).</summary>
    private static void InstallUnless(Func<bool> ready, string what)
    {
        lock (InstallLock)
        {
            if (ready()) return;
            var (code, output) = Course.Run("bash", [Path.Combine(Course.Root, "tools", "install-kernel.sh")], TimeSpan.FromMinutes(10));
            if (code != 0 || !ready()) throw new InvalidOperationException($"{what} is missing and tools/install-kernel.sh did not install it (exit {code}):\n{output}");
        }
    }

    private static bool HasNbConvert() => Works("/usr/bin/python3", "-c", "import nbconvert, nbclient") && File.Exists(Jupyter);

    private static bool HasKernel()
    {
        if (!HasNbConvert()) return false;
        var (code, output) = Course.Run(Jupyter, ["kernelspec", "list", "--json"], TimeSpan.FromMinutes(1), Quiet());
        return code == 0 && JsonNode.Parse(output[output.IndexOf('{')..])?["kernelspecs"]?[".net-csharp"] is not null;
    }

    /// <summary>Converts <paramref name="notebooks"/> to HTML files in <paramref name="outDir"/> (same names, .html) in one nbconvert run.</summary>
    public static void ToHtml(IReadOnlyList<string> notebooks, string outDir)
    {
        InstallUnless(HasNbConvert, "Jupyter's nbconvert");
        var (code, output) = Course.Run(Jupyter, ["nbconvert", "--to", "html", "--output-dir", outDir, .. notebooks], TimeSpan.FromMinutes(5), Quiet());
        var missing = notebooks.Select(HtmlFor(outDir)).Where(f => !File.Exists(f)).ToList();
        if (code != 0 || missing.Count > 0) throw new InvalidOperationException($"nbconvert --to html exited {code}, missing {string.Join(", ", missing)}:\n{output}");
    }

    /// <summary>Where <see cref="ToHtml"/> writes a notebook's HTML.</summary>
    public static Func<string, string> HtmlFor(string outDir) => notebook => Path.Combine(outDir, Path.GetFileNameWithoutExtension(notebook) + ".html");

    /// <summary>Runs every cell of <paramref name="notebook"/> with the .net-csharp kernel; returns the executed copy's path in <paramref name="outDir"/>.</summary>
    public static string Execute(string notebook, string outDir, IDictionary<string, string?>? environment = null)
    {
        InstallUnless(HasKernel, "the .net-csharp Jupyter kernel");
        var env = Quiet();
        string tools = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools");
        env["PATH"] = $"{Environment.GetEnvironmentVariable("PATH")}:{tools}";
        foreach (var (k, v) in environment ?? new Dictionary<string, string?>()) env[k] = v;
        var (code, output) = Course.Run(Jupyter, ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=600",
            "--ExecutePreprocessor.kernel_name=.net-csharp", "--output-dir", outDir, notebook], TimeSpan.FromMinutes(10), env);
        string executed = Path.Combine(outDir, Path.GetFileName(notebook));
        if (code != 0 || !File.Exists(executed)) throw new InvalidOperationException($"nbconvert --execute exited {code}:\n{output}");
        return executed;
    }
}
