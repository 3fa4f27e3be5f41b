// DESIGN.md's dependency rules held by ArchUnitNET over the assemblies that ship: each namespace of the library uses
// only what it may, the library never uses the course or an engine, nothing uses the CLI or a bench project, and no
// assembly declares another's namespace. The same rules fail on the violations planted in this test assembly.
using Assembly = System.Reflection.Assembly;
using System.Runtime.CompilerServices;
using ArchUnitNET.Domain;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnitV3;
using Xunit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace TextGen.Tests.Architecture;

public class ArchitectureTests
{
    private static readonly Assembly Library = typeof(TextGen.Tensors.Tensor).Assembly;
    private static readonly Assembly Course = typeof(TextGen.Course.Lesson).Assembly;
    private static readonly Assembly Cuda = typeof(TextGen.Cuda.CudaEngine).Assembly;
    private static readonly Assembly TorchSharp = typeof(TextGen.TorchSharp.TorchSharpEngine).Assembly;
    private static readonly Assembly Interactive = typeof(TextGen.Interactive.TextGenKernelExtension).Assembly;
    private static readonly Assembly Notebooks = typeof(TextGen.Notebooks.NotebookRunner).Assembly;
    private static readonly Assembly Cli = typeof(TextGen.Cli.CliErrors).Assembly;
    private static readonly Assembly[] Shipped = [Library, Course, Cuda, TorchSharp, Interactive, Notebooks, Cli];

    // Loading reads every type's IL once; the tests share the result.
    private static readonly Lazy<ArchUnitNET.Domain.Architecture> Real = new(() => new ArchLoader().LoadAssemblies(Shipped).Build());
    private static readonly Lazy<ArchUnitNET.Domain.Architecture> WithPlanted =
        new(() => new ArchLoader().LoadAssemblies(Library, Cli, typeof(ArchitectureTests).Assembly).Build());

    private const string Planted = "TextGen.Tests.Architecture.Planted";

    public static TheoryData<string> LibraryNamespaces() => new(DependencyRules.Library.Keys);

    [Theory]
    [MemberData(nameof(LibraryNamespaces))]
    public void Each_namespace_of_the_library_uses_only_what_design_allows(string ns)
    {
        Assert.Contains(Library.GetTypes(), t => t.Namespace is { } n && (n == ns || n.StartsWith(ns + ".", StringComparison.Ordinal)));
        DependencyRules.UsesOnly(ns, DependencyRules.Library[ns], DependencyRules.Library.Keys).Check(Real.Value);
    }

    [Fact]
    public void The_root_namespace_uses_nothing_else_of_the_library()
    {
        Types().That().ResideInNamespace(DependencyRules.Root).Should()
            .NotDependOnAny(DependencyRules.Below([.. DependencyRules.Library.Keys, "TextGen.Course", "TextGen.Cuda", "TextGen.TorchSharp", "TextGen.Cli"]))
            .Because("TextGen's root namespace holds what every namespace may use, so it may use none of them").Check(Real.Value);
    }

    [Fact]
    public void The_library_never_uses_the_course_nor_an_engine()
    {
        DependencyRules.NeverUses(DependencyRules.In([Library]), [Course, Cuda, TorchSharp],
            "DESIGN.md: the course uses the library, engines implement its seam; the library references neither").Check(Real.Value);
        Assert.DoesNotContain(Library.GetReferencedAssemblies(), a => a.Name is "TextGen.Course" or "TextGen.Cuda" or "TextGen.TorchSharp");
    }

    [Fact]
    public void Nothing_uses_the_cli_and_the_notebook_side_never_does()
    {
        DependencyRules.NeverUses(DependencyRules.In([Library, Course, Cuda, TorchSharp, Interactive, Notebooks]), [Cli],
            "DESIGN.md: TextGen.Cli uses everything and nothing uses it; notebooks use the library, never the CLI").Check(Real.Value);
    }

    [Fact]
    public void No_shipped_assembly_references_a_bench_project()
    {
        foreach (var assembly in Shipped)
            Assert.DoesNotContain(assembly.GetReferencedAssemblies(), a => a.Name!.Contains("Bench", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_type_lives_in_the_namespace_of_its_own_project()
    {
        var roots = Shipped.Select(a => a.GetName().Name!).ToList();
        foreach (var assembly in Shipped)
        {
            string own = assembly.GetName().Name!;
            // A project's namespaces start with its name; the library's must not start with another project's.
            var strays = assembly.GetTypes()
                .Where(t => t.Namespace is not null && !t.IsDefined(typeof(CompilerGeneratedAttribute), false) && !t.IsDefined(typeof(System.CodeDom.Compiler.GeneratedCodeAttribute), false) && t.DeclaringType is null)
                .Where(t => !(t.Namespace == own || t.Namespace!.StartsWith(own + ".", StringComparison.Ordinal))
                    || roots.Any(r => r != own && r.StartsWith(own + ".", StringComparison.Ordinal) && (t.Namespace == r || t.Namespace!.StartsWith(r + ".", StringComparison.Ordinal))))
                .Select(t => t.FullName).ToList();
            Assert.True(strays.Count == 0, $"{own} declares types in other projects' namespaces: {string.Join(", ", strays)}");
        }
    }

    [Fact]
    public void A_planted_use_of_a_forbidden_namespace_breaks_the_rule_and_an_allowed_one_does_not()
    {
        var library = DependencyRules.Library.Keys.Append($"{Planted}.UsesNn").Append($"{Planted}.UsesTensors").ToList();
        var breach = DependencyRules.UsesOnly($"{Planted}.UsesNn", ["TextGen.Tensors"], library);
        Assert.False(breach.HasNoViolations(WithPlanted.Value));
        var violation = Assert.Single(breach.Evaluate(WithPlanted.Value), r => !r.Passed);
        Assert.Contains("HoldsALayer", violation.Description);
        Assert.Contains("TextGen.Nn.Linear", violation.Description);

        Assert.True(DependencyRules.UsesOnly($"{Planted}.UsesNn", ["TextGen.Tensors", "TextGen.Nn"], library).HasNoViolations(WithPlanted.Value));
        Assert.True(DependencyRules.UsesOnly($"{Planted}.UsesTensors", ["TextGen.Tensors"], library).HasNoViolations(WithPlanted.Value));
    }

    [Fact]
    public void A_planted_use_of_the_cli_breaks_the_rule()
    {
        var breach = DependencyRules.NeverUses(Types().That().ResideInNamespace($"{Planted}.UsesCli"), [Cli], "planted");
        Assert.False(breach.HasNoViolations(WithPlanted.Value));
        Assert.True(DependencyRules.NeverUses(Types().That().ResideInNamespace($"{Planted}.UsesTensors"), [Cli], "planted").HasNoViolations(WithPlanted.Value));
    }
}
