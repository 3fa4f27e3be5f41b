// Runs the textgen command as a child process, the way a user does, and captures its output.
using System.Diagnostics;

namespace TextGen.Tests.Cli;

/// <summary>Output of one textgen run.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Starts the built CLI (copied beside the tests) with arguments.</summary>
public static class CliRunner
{
    public static CliResult Run(string workingDirectory, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "TextGen.Cli.dll");
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["TEXTGEN_DATA"] = Path.Combine(workingDirectory, "cache");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2))) { p.Kill(true); throw new TimeoutException($"textgen {string.Join(' ', args)} did not finish"); }
        return new CliResult(p.ExitCode, stdout.Result, stderr.Result);
    }
}
