// The one JSON object that train, eval and bench print with --json, always strict JSON: a figure that overflows (or is
// NaN) is written as null with a "<name>_nonfinite" key beside it saying which value it was.
using System.Text.Json.Nodes;
using TextGen.Training;

namespace TextGen.Cli.Commands;

/// <summary>
/// Builds a command's --json line. A finite figure is a JSON number; a non-finite one is <c>null</c> plus
/// <c>"&lt;name&gt;_nonfinite": "Infinity" | "-Infinity" | "NaN"</c>; a figure not measured at all is a plain <c>null</c>.
/// </summary>
internal sealed class JsonFigures
{
    /// <summary>The suffix of the key that names a non-finite figure.</summary>
    public const string NonFiniteSuffix = "_nonfinite";

    private readonly JsonObject json = [];

    /// <summary>Adds a figure measured in double precision.</summary>
    public JsonFigures Add(string name, double? value) => value is { } v && FigureText.NonFiniteName(v) is { } flag ? NonFinite(name, flag) : Set(name, value);

    /// <summary>Adds a figure measured in single precision, written with float's own shortest digits.</summary>
    public JsonFigures Add(string name, float? value) => value is { } v && FigureText.NonFiniteName(v) is { } flag ? NonFinite(name, flag) : Set(name, value);

    /// <summary>Adds a count.</summary>
    public JsonFigures Add(string name, long value) => Set(name, value);

    /// <summary>Adds a text value (null stays null).</summary>
    public JsonFigures Add(string name, string? value) => Set(name, value);

    /// <summary>The object as one line of JSON.</summary>
    public override string ToString() => json.ToJsonString();

    private JsonFigures Set(string name, JsonNode? node)
    {
        json[name] = node;
        return this;
    }

    private JsonFigures NonFinite(string name, string flag)
    {
        json[name] = null;
        json[name + NonFiniteSuffix] = flag;
        return this;
    }
}
