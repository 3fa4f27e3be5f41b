// Which run wrote a notebook's outputs: its budget, a fingerprint of the code cells it ran and of the outputs it wrote,
// a fingerprint of the library and course sources it ran with, and how long it took. Stored in the notebook's metadata
// (textgen.outputs), so a test can tell committed outputs that no longer match their cells, that were edited by hand, or
// that came from a quick run; and `textgen notebook verify --changed` can tell which lessons a change may have moved.
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace TextGen.Notebooks;

/// <summary>The run that wrote a notebook's outputs (metadata <c>textgen.outputs</c>), written by <c>textgen notebook run</c> with the outputs.</summary>
/// <param name="Budget">"full" or "quick".</param>
/// <param name="Code">Hex SHA-256 of the code cells' sources, in order (<see cref="Fingerprint"/>).</param>
/// <param name="Outputs">Hex SHA-256 of the outputs in their canonical form (<see cref="OutputsFingerprint"/>).</param>
/// <param name="Sources">Hex SHA-256 of the library and course sources the run used (<see cref="SourceFingerprint"/>); empty outside a repository.</param>
/// <param name="Seconds">How long the run took, in seconds.</param>
public sealed record OutputStamp(string Budget, string Code = "", string Outputs = "", string Sources = "", double Seconds = 0)
{
    /// <summary>The stamp a notebook carries, or null when its outputs were not written by <c>textgen notebook run</c>.</summary>
    public static OutputStamp? Of(JsonNode notebook) =>
        notebook["metadata"]?["textgen"]?["outputs"] is JsonObject o && o["budget"]?.GetValue<string>() is { } budget
            ? new OutputStamp(budget, Text(o["code"]), Text(o["outputs"]), Text(o["sources"]), o["seconds"]?.GetValue<double>() ?? 0)
            : null;

    /// <summary>Hashes the code cells' sources; markdown is left out, since prose can change without re-running anything.</summary>
    public static string Fingerprint(JsonNode notebook)
    {
        var code = new StringBuilder();
        foreach (var cell in Cells(notebook))
            code.Append(Normal(OutputCheck.Join(cell["source"]))).Append('\0');
        return Hash(code.ToString());
    }

    /// <summary>
    /// Hashes the code cells' outputs in a canonical form that does not depend on how the file is laid out (indentation,
    /// key order, text as one string or a list of lines, \r\n or \n): per cell, per output, its type; a stream's name and
    /// text; each MIME type of its data in ordinal order with its text (or its JSON with sorted keys); an error's name,
    /// value and traceback. Output metadata and execution counts are left out (the latter are checked on their own).
    /// </summary>
    public static string OutputsFingerprint(JsonNode notebook)
    {
        var canonical = new StringBuilder();
        foreach (var cell in Cells(notebook))
        {
            foreach (var output in cell["outputs"]?.AsArray() ?? [])
            {
                if (output is null) continue;
                canonical.Append(Text(output["output_type"])).Append('\0');
                if (output["name"] is { } name) canonical.Append(Text(name)).Append('\0');
                if (output["text"] is { } text) canonical.Append(Normal(OutputCheck.Join(text))).Append('\0');
                foreach (var (mime, value) in (output["data"]?.AsObject() ?? []).OrderBy(p => p.Key, StringComparer.Ordinal))
                    canonical.Append(mime).Append('\0').Append(Normal(Canonical(value))).Append('\0');
                foreach (var key in new[] { "ename", "evalue" })
                    if (output[key] is { } v) canonical.Append(Normal(Text(v))).Append('\0');
                foreach (var line in output["traceback"]?.AsArray() ?? []) canonical.Append(Normal(Text(line))).Append('\n');
                canonical.Append('\u001e');
            }
            canonical.Append('\u001d');
        }
        return Hash(canonical.ToString());
    }

    /// <summary>
    /// What is wrong with a notebook's committed outputs as a record of a full run: no stamp, a quick run, code or outputs
    /// changed since the run wrote them, and the claim problems of <see cref="OutputCheck.ClaimProblems"/> (a claim missing,
    /// not checked "○", without its bar); each line says what to do. Empty when the outputs are an honest full run's.
    /// </summary>
    public static IReadOnlyList<string> Problems(JsonNode notebook)
    {
        const string rerun = "re-run it: ./textgen notebook run notebooks/NN-name.ipynb --write-outputs";
        var stamp = Of(notebook);
        if (stamp is null) return [$"the outputs carry no run stamp; {rerun}"];
        var problems = new List<string>();
        if (stamp.Budget != "full") problems.Add($"the outputs come from a {stamp.Budget} run; {rerun}");
        if (stamp.Code != Fingerprint(notebook)) problems.Add($"a code cell changed after its outputs were written; {rerun}");
        if (stamp.Outputs != OutputsFingerprint(notebook)) problems.Add($"the outputs differ from what the run wrote (edited, or stamped before outputs were hashed); {rerun}");
        problems.AddRange(OutputCheck.ClaimProblems(notebook, fullBudget: stamp.Budget == "full").Select(p => p.ToString()));
        return problems;
    }

    internal static void Set(JsonNode notebook, OutputStamp stamp)
    {
        var metadata = notebook["metadata"] as JsonObject ?? (JsonObject)(notebook["metadata"] = new JsonObject());
        var textgen = metadata["textgen"] as JsonObject ?? (JsonObject)(metadata["textgen"] = new JsonObject());
        textgen["outputs"] = new JsonObject
        {
            ["budget"] = stamp.Budget, ["code"] = stamp.Code, ["outputs"] = stamp.Outputs, ["sources"] = stamp.Sources,
            ["seconds"] = Math.Round(stamp.Seconds, 1),
        };
    }

    private static IEnumerable<JsonNode> Cells(JsonNode notebook) =>
        (notebook["cells"]?.AsArray() ?? []).Where(c => c?["cell_type"]?.GetValue<string>() == "code").Select(c => c!);

    private static string Canonical(JsonNode? value) => value switch
    {
        JsonArray a when a.All(l => l is JsonValue v && v.TryGetValue<string>(out _)) => OutputCheck.Join(a),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{Canonical(p.Value)}")) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        null => "null",
        _ => value.ToJsonString(),
    };

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s
        : node is JsonValue n && n.TryGetValue<double>(out var d) ? d.ToString(CultureInfo.InvariantCulture) : "";

    private static string Normal(string text) => text.Replace("\r\n", "\n");

    internal static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
