// The one way the library's enums are spelled: every enum a setting, a header or a flag carries reads back each spelling
// it writes, JSON writes the same spellings through the same converter, aliases read but are never written, and a wrong
// spelling names the ones that work.
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using TextGen.Cuda;
using TextGen.Generation;
using TextGen.Nn;
using TextGen.Optim;
using TextGen.Text;
using TextGen.Training;
using Xunit;

namespace TextGen.Tests;

public class EnumNamesTests
{
    // The enums of the library and the CUDA engine that carry spellings: the ones EnumNameJson converts.
    private static IEnumerable<Type> NamedEnums() =>
        new[] { typeof(TrainOptions).Assembly, typeof(Precision).Assembly }.SelectMany(a => a.GetExportedTypes())
            .Where(t => t.IsEnum && t.GetCustomAttribute<JsonConverterAttribute>()?.ConverterType is { IsGenericType: true } c
                && c.GetGenericTypeDefinition() == typeof(EnumNameJson<>));

    public static TheoryData<Type> Enums() => new(NamedEnums());

    [Fact]
    public void Every_enum_a_setting_or_a_header_carries_is_spelled_by_the_one_mechanism()
    {
        var named = NamedEnums().ToHashSet();
        var carried = new[] { typeof(TrainOptions), typeof(SamplingOptions), typeof(CatalogEntry), typeof(LoadedModel), typeof(TokenizerInfo), typeof(ITokenizer) }
            .SelectMany(t => t.GetProperties()).Select(p => Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType).Where(t => t.IsEnum).ToHashSet();
        Assert.NotEmpty(carried);
        Assert.Empty(carried.Where(t => !named.Contains(t)).Select(t => t.Name));
        Assert.Contains(typeof(Precision), named);
    }

    [Theory]
    [MemberData(nameof(Enums))]
    public void Each_spelling_reads_back_to_its_member_in_names_and_in_json(Type type) =>
        typeof(EnumNamesTests).GetMethod(nameof(RoundTrip), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type).Invoke(null, null);

    private static void RoundTrip<T>() where T : struct, Enum
    {
        var names = EnumNames.All<T>();
        Assert.Equal(Enum.GetValues<T>().Length, names.Distinct().Count());
        Assert.All(names, n => Assert.Equal(n.ToLowerInvariant(), n));
        foreach (var value in Enum.GetValues<T>())
        {
            string name = value.ToName();
            Assert.Equal(value, EnumNames.Parse<T>(name));
            Assert.Equal(value, EnumNames.Parse<T>($" {name.ToUpperInvariant()} "));
            Assert.Equal($"\"{name}\"", JsonSerializer.Serialize(value));
            Assert.Equal(value, JsonSerializer.Deserialize<T>($"\"{name}\""));
        }
    }

    [Theory]
    [InlineData("rnn_tanh", RecurrentArch.Rnn, "rnn")]
    [InlineData("RNN_TANH", RecurrentArch.Rnn, "rnn")]
    [InlineData("rnn_relu", RecurrentArch.RnnRelu, "rnn_relu")]
    public void An_alias_is_read_and_the_name_is_written(string spelling, RecurrentArch member, string written)
    {
        Assert.Equal(member, EnumNames.Parse<RecurrentArch>(spelling));
        Assert.Equal(written, EnumNames.Parse<RecurrentArch>(spelling).ToName());
        Assert.Equal(EngineKind.TorchSharp, EnumNames.Parse<EngineKind>("torch"));
        Assert.Equal(Precision.Fp32, EnumNames.Parse<Precision>("float32"));
    }

    [Fact]
    public void A_wrong_spelling_names_the_spellings_that_work_and_json_says_the_same()
    {
        Assert.Equal("unknown schedule 'linear': use constant or cosine", Assert.Throws<ArgumentException>(() => EnumNames.Parse<ScheduleKind>("linear")).Message);
        Assert.Equal("unknown tokenizer 'bpe': use char or word", Assert.Throws<ArgumentException>(() => EnumNames.Parse<TokenizerKind>("bpe")).Message);
        Assert.Contains("unknown strategy 'nucleus': use greedy, sample or beam",
            Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DecodingStrategy>("\"nucleus\"")).Message);
        Assert.Contains("written as a string", Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<OptimizerKind>("2")).Message);
        Assert.Contains("is no architecture", Assert.Throws<ArgumentOutOfRangeException>(() => ((RecurrentArch)17).ToName()).Message);
    }
}
