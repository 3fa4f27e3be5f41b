// Which run wrote a notebook's outputs: its budget and a fingerprint of the code cells it ran. Stored in the
// notebook's metadata, so a test can tell committed outputs that no longer match their cells, or came from a quick run.
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace TextGen.Notebooks;

/// <summary>The budget of the run that wrote a notebook's outputs and the SHA-256 of the code it ran (metadata <c>textgen.outputs</c>).</summary>
/// <param name="Budget">"full" or "quick".</param>
/// <param name="Code">Hex SHA-256 of the code cells' sources, in order; empty until <see cref="Fingerprint"/> fills it.</param>
public sealed record OutputStamp(string Budget, string Code = "")
{
    /// <summary>The stamp a notebook carries, or null when its outputs were not written by <c>textgen notebook run</c>.</summary>
    public static OutputStamp? Of(JsonNode notebook) =>
        notebook["metadata"]?["textgen"]?["outputs"] is JsonObject o && o["budget"]?.GetValue<string>() is { } budget
            ? new OutputStamp(budget, o["code"]?.GetValue<string>() ?? "")
            : null;

    /// <summary>Hashes the code cells' sources; markdown is left out, since prose can change without re-running anything.</summary>
    public static string Fingerprint(JsonNode notebook)
    {
        var code = new StringBuilder();
        foreach (var cell in notebook["cells"]?.AsArray() ?? [])
            if (cell?["cell_type"]?.GetValue<string>() == "code")
                code.Append(OutputCheck.Join(cell["source"]).Replace("\r\n", "\n")).Append('\0');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code.ToString())));
    }

    internal static void Set(JsonNode notebook, OutputStamp stamp)
    {
        var metadata = notebook["metadata"] as JsonObject ?? (JsonObject)(notebook["metadata"] = new JsonObject());
        var textgen = metadata["textgen"] as JsonObject ?? (JsonObject)(metadata["textgen"] = new JsonObject());
        textgen["outputs"] = new JsonObject { ["budget"] = stamp.Budget, ["code"] = stamp.Code };
    }
}
