// Notebooks written for a test: code cells only, with the Polyglot metadata VS Code writes, in a folder of the test's
// own. The runner, stamp and verification tests build their cases from these instead of from lessons.
using System.Text.Json.Nodes;

namespace TextGen.Tests.Notebooks;

/// <summary>Writes small C# notebooks for tests.</summary>
public static class SmallNotebooks
{
    /// <summary>Writes a notebook of the given code cells into <paramref name="dir"/> and returns its path.</summary>
    public static string Write(string dir, params string[] cells)
    {
        var path = Path.Combine(dir, $"nb{Guid.NewGuid():N}.ipynb");
        var array = new JsonArray();
        foreach (var c in cells)
            array.Add(new JsonObject
            {
                ["cell_type"] = "code", ["execution_count"] = null, ["outputs"] = new JsonArray(), ["source"] = c,
                ["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } },
            });
        var metadata = new JsonObject
        {
            ["kernelspec"] = new JsonObject { ["name"] = ".net-csharp", ["display_name"] = ".NET (C#)", ["language"] = "C#" },
            ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
            ["polyglot_notebook"] = new JsonObject { ["kernelInfo"] = new JsonObject { ["defaultKernelName"] = "csharp", ["items"] = new JsonArray() } },
        };
        File.WriteAllText(path, new JsonObject { ["cells"] = array, ["metadata"] = metadata, ["nbformat"] = 4, ["nbformat_minor"] = 5 }.ToJsonString());
        return path;
    }
}
