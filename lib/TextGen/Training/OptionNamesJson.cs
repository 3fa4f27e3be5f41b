// JSON converters that write TrainOptions' typed settings as the strings resume files always held
// ("lstm", "adamw", "cpu"), so files written before the options were typed load after, and the reverse.
using System.Text.Json;
using System.Text.Json.Serialization;
using TextGen.Nn;
using TextGen.Optim;
using TextGen.Tensors;

namespace TextGen.Training;

/// <summary>Writes a <see cref="RecurrentArch"/> as rnn, rnn_relu, lstm or gru.</summary>
internal sealed class ArchNameJson : JsonConverter<RecurrentArch>
{
    public override RecurrentArch Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Parse(reader.GetString(), RecurrentArchNames.Parse);

    public override void Write(Utf8JsonWriter writer, RecurrentArch value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToName());

    internal static T Parse<T>(string? text, Func<string, T> parse)
    {
        try { return parse(text ?? throw new JsonException("a setting is null")); }
        catch (ArgumentException e) { throw new JsonException(e.Message, e); }
    }
}

/// <summary>Writes an <see cref="OptimizerKind"/> as adam, adamw or sgd.</summary>
internal sealed class OptimizerNameJson : JsonConverter<OptimizerKind>
{
    public override OptimizerKind Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ArchNameJson.Parse(reader.GetString(), OptimizerKindNames.Parse);

    public override void Write(Utf8JsonWriter writer, OptimizerKind value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToName());
}

/// <summary>Writes a <see cref="Device"/> as cpu or cuda:N.</summary>
internal sealed class DeviceNameJson : JsonConverter<Device>
{
    public override Device Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ArchNameJson.Parse(reader.GetString(), Device.Parse);

    public override void Write(Utf8JsonWriter writer, Device value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}

/// <summary>Writes an <see cref="EngineKind"/> as textgen or torchsharp.</summary>
internal sealed class EngineNameJson : JsonConverter<EngineKind>
{
    public override EngineKind Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ArchNameJson.Parse(reader.GetString(), EngineKindNames.Parse);

    public override void Write(Utf8JsonWriter writer, EngineKind value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToName());
}
