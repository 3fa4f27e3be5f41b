// OptimFixture: reads the PyTorch reference files written by tests/reference/make_optim_fixtures.py
// and compares tensors with the project's parity tolerance (1e-5 relative, 1e-6 absolute near zero).
using System.Text.Json;
using TextGen.Optim;
using TextGen.Tensors;
using Xunit;

namespace TextGen.Tests.Optim;

/// <summary>Helpers to load optimizer fixtures and compare against them.</summary>
internal static class OptimFixture
{
    /// <summary>Parses <c>fixtures/optim/{name}</c> from the test output folder.</summary>
    public static JsonElement Load(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "fixtures", "optim", name);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    }

    /// <summary>A tensor from <c>{"shape", "data"}</c>, or null for JSON null (a missing gradient).</summary>
    public static Tensor? ReadTensor(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Null) return null;
        var shape = e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        var data = e.GetProperty("data").EnumerateArray().Select(x => x.GetSingle()).ToArray();
        return new Tensor(data, shape);
    }

    /// <summary>Every tensor in a JSON array.</summary>
    public static Tensor?[] ReadTensors(JsonElement array) => array.EnumerateArray().Select(ReadTensor).ToArray();

    /// <summary>Builds the optimizer a fixture describes, with PyTorch's defaults for what it leaves out.</summary>
    public static Optimizer Build(JsonElement fixture, IEnumerable<Tensor> parameters)
    {
        var h = fixture.GetProperty("hyper");
        double Get(string name, double fallback) => h.TryGetProperty(name, out var v) ? v.GetDouble() : fallback;
        double lr = h.GetProperty("lr").GetDouble();
        return fixture.GetProperty("optimizer").GetString() switch
        {
            "sgd" => new Sgd(parameters, lr, Get("momentum", 0), Get("dampening", 0), Get("weight_decay", 0),
                h.TryGetProperty("nesterov", out var n) && n.GetBoolean()),
            "adam" => new Adam(parameters, lr, weightDecay: Get("weight_decay", 0)),
            "adamw" => new Adam(parameters, lr, weightDecay: Get("weight_decay", 1e-2), decoupledWeightDecay: true),
            var other => throw new InvalidDataException($"unknown optimizer '{other}' in fixture"),
        };
    }

    /// <summary>Asserts equal shapes, then every value within 1e-5 relative or 1e-6 absolute.</summary>
    public static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.ShapeArray, actual.ShapeArray);
        var e = expected.Data;
        var a = actual.Data;
        for (int i = 0; i < e.Length; i++)
        {
            double tol = Math.Max(1e-6, 1e-5 * Math.Abs(e[i]));
            Assert.True(Math.Abs(e[i] - a[i]) <= tol, $"{what}[{i}]: expected {e[i]:R}, got {a[i]:R}");
        }
    }
}
