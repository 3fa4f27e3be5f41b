// Devices: the CPU is always there; other devices come from a backend assembly registered at run time.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TextGen.Tensors;

/// <summary>Kind of device a training run uses: tensors stay on the CPU; an engine may compute on a GPU.</summary>
public enum DeviceType
{
    /// <summary>Host memory, managed kernels.</summary>
    Cpu,
    /// <summary>An NVIDIA GPU through the TextGen.Cuda backend.</summary>
    Cuda,
}

/// <summary>A device: its type and ordinal, like <c>torch.device("cuda:0")</c>; JSON and the CLI spell it cpu or cuda:N.</summary>
[JsonConverter(typeof(DeviceJson))]
public readonly record struct Device(DeviceType Type, int Index = 0)
{
    /// <summary>The CPU.</summary>
    public static Device Cpu { get; } = new(DeviceType.Cpu);

    /// <summary>The first GPU.</summary>
    public static Device Cuda { get; } = new(DeviceType.Cuda);

    /// <summary>Parses <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public static Device Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t == "cpu") return Cpu;
        if (t == "cuda" || t == "gpu") return Cuda;
        if (t.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(t.AsSpan(5), out var i) && i >= 0) return new Device(DeviceType.Cuda, i);
        throw new ArgumentException($"unknown device '{text}': use cpu, cuda or cuda:N");
    }

    /// <inheritdoc />
    public override string ToString() => Type == DeviceType.Cpu ? "cpu" : $"cuda:{Index}";
}

/// <summary>Writes a <see cref="Device"/> as <c>cpu</c> or <c>cuda:N</c> and reads what <see cref="Device.Parse"/> reads.</summary>
internal sealed class DeviceJson : JsonConverter<Device>
{
    public override Device Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        try { return Device.Parse(reader.GetString() ?? throw new JsonException("a device is written as a string: cpu, cuda or cuda:N")); }
        catch (ArgumentException e) { throw new JsonException(e.Message, e); }
    }

    public override void Write(Utf8JsonWriter writer, Device value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
