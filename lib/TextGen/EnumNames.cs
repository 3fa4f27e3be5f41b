// How the library's enums are spelled on the command line, in checkpoint headers and in resume files: a member's name
// is its [JsonStringEnumMemberName], older or PyTorch spellings it is also read from are [EnumAlias]es, and the enum's
// [Description] names the setting in messages. One reader serves the CLI, JSON and headers, so they cannot drift apart.
using System.Collections.Frozen;
using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TextGen;

/// <summary>Another spelling an enum member is read from (an older file's, or PyTorch's); it is read, never written.</summary>
/// <param name="alias">The extra spelling, matched without regard to case.</param>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = true)]
public sealed class EnumAliasAttribute(string alias) : Attribute
{
    /// <summary>The extra spelling.</summary>
    public string Alias { get; } = alias;
}

/// <summary>The one way the library names and parses its enums: <c>RecurrentArch.RnnRelu.ToName()</c> is <c>rnn_relu</c>.</summary>
public static class EnumNames
{
    /// <summary>The spelling of <paramref name="value"/>: its <see cref="JsonStringEnumMemberNameAttribute"/>, else its member name in lower case.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is no member of <typeparamref name="T"/>.</exception>
    public static string ToName<T>(this T value) where T : struct, Enum =>
        Spellings<T>.Names.TryGetValue(value, out var name) ? name
            : throw new ArgumentOutOfRangeException(nameof(value), $"{Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)} is no {Spellings<T>.Noun}: use {Choices<T>()}");

    /// <summary>Reads a spelling or an alias, in any case and with surrounding spaces; an unknown one names the spellings that work.</summary>
    /// <exception cref="ArgumentException">The text is none of the spellings.</exception>
    public static T Parse<T>(string? text) where T : struct, Enum =>
        TryParse<T>(text, out var value) ? value : throw new ArgumentException($"unknown {Spellings<T>.Noun} '{text}': use {Choices<T>()}");

    /// <summary>Reads a spelling or an alias; false when the text is none of them.</summary>
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        return text is not null && Spellings<T>.Lookup.TryGetValue(text.Trim(), out value);
    }

    /// <summary>Every member's spelling, in declaration order.</summary>
    public static IReadOnlyList<string> All<T>() where T : struct, Enum => Spellings<T>.InOrder;

    /// <summary>The spellings as a message lists them: <c>rnn, rnn_relu, lstm or gru</c>.</summary>
    public static string Choices<T>() where T : struct, Enum
    {
        var all = Spellings<T>.InOrder;
        return all.Count == 1 ? all[0] : $"{string.Join(", ", all.Take(all.Count - 1))} or {all[^1]}";
    }

    /// <summary>What the enum names in messages: its <see cref="DescriptionAttribute"/>, else its type name in lower case.</summary>
    public static string Noun<T>() where T : struct, Enum => Spellings<T>.Noun;

    private static class Spellings<T> where T : struct, Enum
    {
        public static readonly string Noun = typeof(T).GetCustomAttribute<DescriptionAttribute>()?.Description ?? typeof(T).Name.ToLowerInvariant();
        public static readonly FrozenDictionary<T, string> Names;
        public static readonly FrozenDictionary<string, T> Lookup;
        public static readonly IReadOnlyList<string> InOrder;

        static Spellings()
        {
            var names = new Dictionary<T, string>();
            var inOrder = new List<string>();
            var lookup = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
            foreach (var field in typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                var value = (T)field.GetValue(null)!;
                string name = field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? field.Name.ToLowerInvariant();
                names.Add(value, name);
                inOrder.Add(name);
                foreach (var spelling in field.GetCustomAttributes<EnumAliasAttribute>().Select(a => a.Alias).Prepend(name))
                    if (!lookup.TryAdd(spelling, value))
                        throw new InvalidOperationException($"{typeof(T).Name}: the spelling '{spelling}' names two members");
            }
            Names = names.ToFrozenDictionary();
            Lookup = lookup.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
            InOrder = inOrder;
        }
    }
}

/// <summary>Writes an enum as its <see cref="EnumNames"/> spelling and reads any spelling or alias; a wrong one is a <see cref="JsonException"/> naming the choices.</summary>
/// <typeparam name="T">The enum; put <c>[JsonConverter(typeof(EnumNameJson&lt;T&gt;))]</c> on it, so every serializer uses its spellings.</typeparam>
public sealed class EnumNameJson<T> : JsonConverter<T> where T : struct, Enum
{
    /// <inheritdoc />
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"a {EnumNames.Noun<T>()} is written as a string: {EnumNames.Choices<T>()}");
        try { return EnumNames.Parse<T>(reader.GetString()); }
        catch (ArgumentException e) { throw new JsonException(e.Message, e); }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToName());
}
