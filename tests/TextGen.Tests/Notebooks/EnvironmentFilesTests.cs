// The dev container, its setup script and the conda environment, read as files: well-formed, and every
// path and command they name exists (DevContainerTests runs the setup script itself).
using System.Text.Json;
using Xunit;

namespace TextGen.Tests.Notebooks;

public class EnvironmentFilesTests
{
    private static string Root => Course.Root;

    [Fact]
    public void Devcontainer_uses_dotnet_10_the_notebook_extensions_an_optional_gpu_and_existing_commands()
    {
        var text = File.ReadAllText(Path.Combine(Root, ".devcontainer", "devcontainer.json"));
        using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var root = doc.RootElement;
        Assert.Contains("dotnet:10.0", root.GetProperty("image").GetString());
        Assert.Equal("optional", root.GetProperty("hostRequirements").GetProperty("gpu").GetString());
        Assert.False(root.TryGetProperty("runArgs", out var runArgs) && runArgs.EnumerateArray().Any(a => a.GetString()!.Contains("--gpus")),
            "--gpus breaks hosts without a GPU");
        var extensions = root.GetProperty("customizations").GetProperty("vscode").GetProperty("extensions").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("ms-dotnettools.csharp", extensions);
        Assert.Contains("ms-dotnettools.dotnet-interactive-vscode", extensions);
        Assert.Contains("ms-toolsai.jupyter", extensions);
        Assert.Equal("bash .devcontainer/setup.sh", root.GetProperty("postCreateCommand").GetString());
        // The editor must not open before the package exists, or lesson 1's first cell fails.
        Assert.Equal("postCreateCommand", root.GetProperty("waitFor").GetString());
    }

    [Fact]
    public void Devcontainer_setup_script_installs_the_kernel_packs_the_library_and_fetches_the_corpora()
    {
        var script = File.ReadAllText(Path.Combine(Root, ".devcontainer", "setup.sh"));
        Assert.StartsWith("#!/usr/bin/env bash", script);
        Assert.Contains("set -euo pipefail", script);
        var commands = script.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Contains(commands, l => l.Contains("tools/install-kernel.sh"));
        Assert.Contains(commands, l => l.Contains("./textgen notebook setup"));
        Assert.Contains(commands, l => l.Contains("./textgen data fetch"));
        Assert.Contains(commands, l => l.Contains("notebooks/01-setup.ipynb"));
        Assert.True(File.Exists(Path.Combine(Root, "tools", "install-kernel.sh")), "setup.sh runs tools/install-kernel.sh");
        Assert.True(File.Exists(Path.Combine(Root, "textgen")), "setup.sh runs ./textgen");
        Assert.True(File.Exists(Path.Combine(Root, "notebooks", "01-setup.ipynb")), "setup.sh sends the learner to lesson 1");
    }

    [Fact]
    public void Conda_environment_names_the_dotnet_sdk_and_jupyterlab()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "environment.yml")).Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')).ToList();
        Assert.Contains("name: textgen", lines);
        // A flat YAML mapping with list items under channels and dependencies: every line is "key:" / "key: value" or "  - item".
        Assert.All(lines, l => Assert.Matches(@"^([a-z_]+:( \S.*)?|  - \S.*)$", l));
        int deps = lines.IndexOf("dependencies:");
        Assert.True(deps >= 0);
        var items = lines.Skip(deps + 1).TakeWhile(l => l.StartsWith("  - ")).Select(l => l[4..]).ToList();
        Assert.Contains(items, i => i.StartsWith("dotnet-sdk"));
        Assert.Contains(items, i => i.StartsWith("jupyterlab"));
        Assert.Contains("dotnet interactive jupyter install", File.ReadAllText(Path.Combine(Root, "README.md")));
    }
}
