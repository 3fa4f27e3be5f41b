// What the tests install on a machine that lacks it, one installer at a time: tools/install-kernel.sh (Jupyter from
// apt and the dotnet-interactive tool from the tool manifest) and tests/setup-browser.sh (Chromium from apt). Test
// classes run in parallel, and two apt-gets at once fail on dpkg's lock, so every install goes through one gate.
// Each script runs at most once per test run; when it fails, the error names the command to run by hand.
namespace TextGen.Tests.Notebooks;

/// <summary>The test run's one gate for the scripts that install what the lesson and browser tests need.</summary>
public static class Installers
{
    private static readonly object Gate = new();
    private static readonly Dictionary<string, (int ExitCode, string Output)> Runs = [];

    /// <summary>The script that installs Jupyter and the .NET (C#) kernel.</summary>
    public const string Kernel = "tools/install-kernel.sh";

    /// <summary>The script that installs Debian's Chromium.</summary>
    public const string Browser = "tests/setup-browser.sh";

    /// <summary>
    /// Runs <paramref name="script"/> (relative to the repository) unless <paramref name="ready"/> says it is not needed,
    /// at most once per test run and never beside another installer; throws when <paramref name="what"/> is still missing.
    /// </summary>
    public static void Ensure(string script, string what, Func<bool> ready)
    {
        lock (Gate)
        {
            if (ready()) return;
            if (!Runs.TryGetValue(script, out var run))
                Runs[script] = run = Course.Run("bash", [Path.Combine(Course.Root, script)], TimeSpan.FromMinutes(20));
            if (run.ExitCode != 0 || !ready()) throw new InvalidOperationException(Failure(script, what, run.ExitCode, run.Output));
        }
    }

    /// <summary>What a failed install tells the developer: what is missing, the command that installs it, and its output.</summary>
    public static string Failure(string script, string what, int exitCode, string output) =>
        $"the tests need {what}, and `bash {script}` did not install it (exit {exitCode}). Run `bash {script}` from the repository root " +
        $"(as root, or as a user who may sudo apt-get), then run the tests again. Its output:\n{output}";
}
