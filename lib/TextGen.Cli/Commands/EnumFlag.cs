// The one way a command takes one of the library's enums as a flag: EnumNames' spellings, listed in the help, parsed in
// the command's action, so that a wrong value fails before any data loads with the values that work (one line, exit 2).
using System.CommandLine;

namespace TextGen.Cli.Commands;

/// <summary>A flag whose value is a <typeparamref name="T"/>, spelled as <see cref="EnumNames"/> spells it.</summary>
internal sealed class EnumFlag<T> where T : struct, Enum
{
    /// <summary>A fresh flag (each command owns its options) with <paramref name="defaultValue"/>; the help lists every spelling.</summary>
    public EnumFlag(string name, T defaultValue, string? description = null) => Option = new Option<string>(name)
    {
        Description = $"{description ?? EnumNames.Noun<T>()}: {EnumNames.Choices<T>()}",
        DefaultValueFactory = _ => defaultValue.ToName(),
    };

    /// <summary>The option to add to a command.</summary>
    public Option<string> Option { get; }

    /// <summary>The value given (or the default); an unknown spelling throws an <see cref="ArgumentException"/> naming the choices.</summary>
    public T Read(ParseResult r) => EnumNames.Parse<T>(r.GetValue(Option));
}
