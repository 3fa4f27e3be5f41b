// DESIGN.md's dependency rules as data, and the ArchUnitNET rule that holds one of them: which namespaces of the
// library may use which, which assemblies nothing shipped may use. The tests apply them to the real assemblies and,
// to prove they can fail, to planted violations.
using Assembly = System.Reflection.Assembly;
using ArchUnitNET.Domain;
using ArchUnitNET.Fluent;
using ArchUnitNET.Fluent.Syntax.Elements.Types;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace TextGen.Tests.Architecture;

/// <summary>The library's namespaces and the ones each may use, as DESIGN.md states them.</summary>
internal static class DependencyRules
{
    /// <summary>
    /// Each namespace of lib/TextGen (with the ones below it) and the library namespaces it may use besides itself. The root
    /// namespace <c>TextGen</c> holds only what every part may use (the spelling of enums, the version) and uses nothing.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> Library = new Dictionary<string, string[]>
    {
        ["TextGen.Tensors"] = [],
        ["TextGen.Nn"] = ["TextGen.Tensors"],
        ["TextGen.Optim"] = ["TextGen.Tensors"],
        ["TextGen.Text"] = [],
        ["TextGen.Viz"] = [],
        ["TextGen.Training"] = ["TextGen.Nn", "TextGen.Optim", "TextGen.Text", "TextGen.Tensors"],
        ["TextGen.Generation"] = ["TextGen.Nn", "TextGen.Text", "TextGen.Tensors"],
        ["TextGen.Benchmarks"] = ["TextGen.Training", "TextGen.Generation", "TextGen.Nn", "TextGen.Optim", "TextGen.Tensors"],
    };

    /// <summary>The root namespace's own types (a namespace, not the ones below it).</summary>
    public const string Root = "TextGen";

    /// <summary>The rule "types in <paramref name="ns"/> (or below) use no library namespace but their own, the root's and <paramref name="allowed"/>".</summary>
    /// <param name="ns">The namespace whose types are judged.</param>
    /// <param name="allowed">Library namespaces (each with the ones below it) it may use.</param>
    /// <param name="library">The namespaces that make up the library, each with the ones below it.</param>
    public static IArchRule UsesOnly(string ns, IEnumerable<string> allowed, IEnumerable<string> library)
    {
        var forbidden = library.Where(n => n != ns && !allowed.Contains(n)).ToList();
        var rule = Types().That().ResideInNamespaceOrBelow(ns).Should().NotDependOnAny(Below(forbidden));
        return rule.Because($"DESIGN.md: {ns} uses {(allowed.Any() ? string.Join(", ", allowed) : "nothing else of the library")}");
    }

    /// <summary>The rule "<paramref name="users"/> use nothing of <paramref name="used"/>".</summary>
    public static IArchRule NeverUses(GivenTypesConjunction users, IReadOnlyList<Assembly> used, string because) =>
        users.Should().NotDependOnAny(In(used)).Because(because);

    /// <summary>Types of any of <paramref name="assemblies"/>.</summary>
    public static GivenTypesConjunction In(IReadOnlyList<Assembly> assemblies) => Types().That().ResideInAssembly(assemblies[0], [.. assemblies.Skip(1)]);

    /// <summary>Types in any of the namespaces or below.</summary>
    public static IObjectProvider<IType> Below(IReadOnlyList<string> namespaces) =>
        Types().That().ResideInNamespaceMatching($"^({string.Join("|", namespaces.Select(Escape))})(\\..+)?$");

    private static string Escape(string name) => System.Text.RegularExpressions.Regex.Escape(name);
}
