// Runs the textgen command as a child process, the way a user does, and captures its output.
using System.Diagnostics;

namespace TextGen.Tests.Cli;

/// <summary>Output of one textgen run.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Starts the built CLI (copied beside the tests) with arguments.</summary>
public static class CliRunner
{
    /// <summary>Runs with a corpus cache of its own under <paramref name="workingDirectory"/>, for at most two minutes.</summary>
    public static CliResult Run(string workingDirectory, params string[] args) =>
        Run(workingDirectory, TimeSpan.FromMinutes(2), new Dictionary<string, string?> { ["TEXTGEN_DATA"] = Path.Combine(workingDirectory, "cache") }, args);

    /// <summary>Runs with the given environment changes (a null value removes the variable) and time limit.</summary>
    public static CliResult Run(string workingDirectory, TimeSpan timeout, IDictionary<string, string?> environment, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "TextGen.Cli.dll");
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment)
            if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout)) { p.Kill(true); throw new TimeoutException($"textgen {string.Join(' ', args)} did not finish in {timeout.TotalMinutes:F0} min"); }
        return new CliResult(p.ExitCode, stdout.Result, stderr.Result);
    }
}
