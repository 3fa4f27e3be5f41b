// The dev container, its setup script and the conda environment, read as files: well-formed, and every
// path and command they name exists (DevContainerTests runs the setup script itself).
using System.Text.Json;
using Xunit;

namespace TextGen.Tests.Notebooks;

public class EnvironmentFilesTests
{
    private static string Root => Course.Root;

    [Fact]
    public void Devcontainer_uses_the_sdk_band_of_global_json_the_jupyter_extension_without_polyglot_an_optional_gpu_and_existing_commands()
    {
        var text = File.ReadAllText(Path.Combine(Root, ".devcontainer", "devcontainer.json"));
        using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var root = doc.RootElement;
        Assert.Contains("dotnet:10.0", root.GetProperty("image").GetString());
        // The image may carry an older SDK band than global.json accepts; the dotnet feature adds the band the course is tested on.
        var band = root.GetProperty("features").GetProperty("ghcr.io/devcontainers/features/dotnet:2").GetProperty("version").GetString()!;
        Assert.Equal(GlobalJsonSdk().Version[..^2] + "xx", band);
        Assert.Equal("optional", root.GetProperty("hostRequirements").GetProperty("gpu").GetString());
        Assert.False(root.TryGetProperty("runArgs", out var runArgs) && runArgs.EnumerateArray().Any(a => a.GetString()!.Contains("--gpus")),
            "--gpus breaks hosts without a GPU");
        var extensions = root.GetProperty("customizations").GetProperty("vscode").GetProperty("extensions").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("ms-dotnettools.csharp", extensions);
        Assert.Contains("ms-toolsai.jupyter", extensions);
        // Polyglot Notebooks is deprecated (2026-03-27): the container runs the lessons without it.
        Assert.DoesNotContain("ms-dotnettools.dotnet-interactive-vscode", extensions);
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
        var commands = Commands(Path.Combine(Root, ".devcontainer", "setup.sh"));
        Assert.Contains(commands, l => l.Contains("tools/install-kernel.sh"));
        Assert.Contains(commands, l => l.Contains("./textgen notebook setup"));
        Assert.Contains(commands, l => l.Contains("./textgen data fetch"));
        Assert.Contains(commands, l => l.Contains("notebooks/01-setup.ipynb"));
        Assert.True(File.Exists(Path.Combine(Root, "tools", "install-kernel.sh")), "setup.sh runs tools/install-kernel.sh");
        Assert.True(File.Exists(Path.Combine(Root, "textgen")), "setup.sh runs ./textgen");
        Assert.True(File.Exists(Path.Combine(Root, "notebooks", "01-setup.ipynb")), "setup.sh sends the learner to lesson 1");
    }

    [Fact]
    public void Global_json_pins_the_tested_sdk_band_and_rolls_forward_to_newer_10_0_bands_only()
    {
        var (version, rollForward) = GlobalJsonSdk();
        Assert.Matches(@"^10\.0\.4\d\d$", version);
        // latestFeature: a learner's newer 10.0 SDK (a later band or patch) is used; an 11 SDK alone is refused by name,
        // since the pinned kernel tool and the net10.0 projects need the .NET 10 runtime.
        Assert.Equal("latestFeature", rollForward);
        var (code, output) = Course.Run("dotnet", ["--version"], TimeSpan.FromMinutes(1));
        Assert.True(code == 0, output);
        var sdk = Version.Parse(output.Trim().Split('-')[0]);
        Assert.True(sdk.Major == 10 && sdk.Minor == 0 && sdk.Build >= Version.Parse(version).Build, $"global.json chose SDK {sdk}, outside 10.0 from {version}");
    }

    [Fact]
    public void Kernel_tool_is_pinned_in_the_tool_manifest_and_every_installer_restores_it_from_there()
    {
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, ".config", "dotnet-tools.json"))).RootElement;
        Assert.True(manifest.GetProperty("isRoot").GetBoolean());
        var tool = manifest.GetProperty("tools").GetProperty("microsoft.dotnet-interactive");
        // The last release of .NET Interactive (dotnet/interactive#4163): the tool, and the libraries the in-process runner uses.
        Assert.Equal("1.0.712001", tool.GetProperty("version").GetString());
        Assert.Contains("Include=\"Microsoft.DotNet.Interactive.CSharp\" Version=\"1.0.0-beta.26120.1\"", File.ReadAllText(Path.Combine(Root, "Directory.Packages.props")));
        var install = Commands(Path.Combine(Root, "tools", "install-kernel.sh"));
        Assert.Contains(install, l => l.StartsWith("dotnet tool restore"));
        Assert.DoesNotContain(install, l => l.Contains("tool install") || l.Contains("tool update") || l.Contains(" -g "));
        // The dev container and CI install the kernel through that script.
        Assert.Contains(Commands(Path.Combine(Root, ".devcontainer", "setup.sh")), l => l.Contains("tools/install-kernel.sh"));
        Assert.Contains(Commands(Path.Combine(Root, ".ci", "run")), l => l.Contains("tools/install-kernel.sh"));
    }

    private static List<string> Commands(string script) =>
        [.. File.ReadAllLines(script).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];

    private static (string Version, string RollForward) GlobalJsonSdk()
    {
        var sdk = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "global.json"))).RootElement.GetProperty("sdk");
        return (sdk.GetProperty("version").GetString()!, sdk.GetProperty("rollForward").GetString()!);
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
