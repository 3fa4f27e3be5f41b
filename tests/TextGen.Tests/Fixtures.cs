// Reads the PyTorch parity fixtures written by tests/reference/make_fixtures.py.
using System.Text.Json;
using TextGen.Tensors;

namespace TextGen.Tests;

/// <summary>Access to the JSON fixtures copied beside the test assembly.</summary>
public static class Fixtures
{
    /// <summary>Folder of one fixture family, e.g. "rnn".</summary>
    public static string Dir(string family) => Path.Combine(AppContext.BaseDirectory, "fixtures", family);

    /// <summary>Names (without extension) of the fixtures in a family.</summary>
    public static IEnumerable<string> Names(string family) =>
        Directory.Exists(Dir(family)) ? Directory.GetFiles(Dir(family), "*.json").Select(Path.GetFileNameWithoutExtension).Order()! : [];

    /// <summary>Parses one fixture.</summary>
    public static JsonElement Load(string family, string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir(family), name + ".json"))).RootElement;

    /// <summary>A {"shape", "data"} object as a tensor.</summary>
    public static Tensor ReadTensor(this JsonElement e)
    {
        var shape = e.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var data = e.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        return new Tensor(data, shape);
    }

    /// <summary>A tensor property, or null when absent or JSON null.</summary>
    public static Tensor? TensorOrNull(this JsonElement e, string name) =>
        e.TryGetProperty(name, out var p) && p.ValueKind != JsonValueKind.Null ? p.ReadTensor() : null;

    /// <summary>A nested int array flattened row-major.</summary>
    public static int[] ReadInts(this JsonElement e) =>
        e.ValueKind == JsonValueKind.Array && e.GetArrayLength() > 0 && e[0].ValueKind == JsonValueKind.Array
            ? e.EnumerateArray().SelectMany(ReadInts).ToArray()
            : e.EnumerateArray().Select(v => v.GetInt32()).ToArray();
}
