// Where a notebook's cells and a program's top-level statements disagree. The kernel runs each cell as a script
// submission: its variables are fields that a later cell may declare again, and a nested block may reuse a name that
// another cell declares at its top. A program's top-level statements are one scope, where both are errors (CS0128,
// CS0136). So the cells are bound the way the kernel binds them (one script compilation per cell, each continuing the
// one before), and every name the program would see twice gets a numbered spelling, at its declaration and at every
// reference the compiler binds to it. The same binding tells which cell ends in a value the kernel would display.
using System.Collections.Immutable;
using System.Reflection.PortableExecutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace TextGen.Notebooks;

/// <summary>The cells of a notebook bound as the kernel binds them, rewritten into statements of one program.</summary>
internal sealed class CellScopes
{
    private static readonly CSharpParseOptions ScriptOptions = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    // The kernel's helpers, as the exported program defines them; bound first so that cells calling them bind.
    private const string Prelude = "Shown display(object value) => null; string HTML(string html) => html; public class Shown { public void Update(object value) { } }";

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    private readonly List<(string Code, SyntaxTree Tree, SemanticModel Model)> cells = [];
    private readonly Dictionary<object, string> renamed = new(new KeyComparer());

    /// <summary>Binds <paramref name="cells"/> in order with <paramref name="usings"/> open, and decides the names the program uses.</summary>
    public CellScopes(IReadOnlyList<string> cells, IEnumerable<string> usings)
    {
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, usings: usings, nullableContextOptions: NullableContextOptions.Disable);
        var previous = CSharpCompilation.CreateScriptCompilation("prelude", CSharpSyntaxTree.ParseText(Prelude, ScriptOptions), References.Value, options);
        foreach (var (code, i) in cells.Select((c, i) => (c, i)))
        {
            var tree = CSharpSyntaxTree.ParseText(code, ScriptOptions);
            var compilation = CSharpCompilation.CreateScriptCompilation(Submission(i), tree, References.Value, options, previous);
            var model = compilation.GetSemanticModel(tree);
            this.cells.Add((code, tree, model));
            // Roslyn continues only from a submission without errors. A cell that does not bind here (it uses a package this
            // process lacks, as lesson 7's TorchSharp cell does) is followed by a stand-in that declares the same names.
            previous = compilation.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error)
                ? StandIn(i, tree, model, options, previous) : compilation;
        }
        Decide();
    }

    private static string Submission(int cell) => $"cell{cell}";

    // The cell's top-level variables and methods with the types the compiler found, `dynamic` where it found none.
    private static CSharpCompilation StandIn(int cell, SyntaxTree tree, SemanticModel model, CSharpCompilationOptions options, CSharpCompilation previous)
    {
        var declarations = new StringBuilder();
        foreach (var node in tree.GetRoot().DescendantNodes())
        {
            switch (Declared(node, model))
            {
                case IFieldSymbol { IsImplicitlyDeclared: false } field when !InsideFunction(node):
                    declarations.Append($"{TypeName(field.Type)} {field.Name} = default;\n");
                    break;
                case IMethodSymbol { MethodKind: MethodKind.Ordinary, ContainingType.IsScriptClass: true } method:
                    declarations.Append($"dynamic {method.Name}(params dynamic[] arguments) => null;\n");
                    break;
            }
        }
        var standIn = CSharpCompilation.CreateScriptCompilation(Submission(cell), CSharpSyntaxTree.ParseText(declarations.ToString(), ScriptOptions), References.Value, options, previous);
        return standIn.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error) ? previous : standIn;
    }

    private static string TypeName(ITypeSymbol type) =>
        type.TypeKind == TypeKind.Error || type.IsAnonymousType || type is INamedTypeSymbol { TypeArguments: var args } && args.Any(a => a.TypeKind == TypeKind.Error || a.IsAnonymousType)
            ? "dynamic" : type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    // Top-level names are keyed by submission and name, so that a stand-in's declaration is the cell's own.
    private static object Key(ISymbol symbol) => IsTopLevel(symbol) ? (symbol.ContainingAssembly.Name, symbol.Name) : symbol;

    private static bool IsTopLevel(ISymbol symbol) =>
        symbol is IFieldSymbol { ContainingType.IsScriptClass: true } || symbol is IMethodSymbol { MethodKind: MethodKind.Ordinary, ContainingType.IsScriptClass: true };

    /// <summary>The names that were given another spelling, old to new, in the order the program declares them.</summary>
    public IReadOnlyList<(string Old, string New)> Renames { get; private set; } = [];

    /// <summary>
    /// Cell <paramref name="index"/> as program statements: the renamed names respelled, and a final expression without a
    /// semicolon (which the kernel displays) passed to display(...), or ended with a semicolon when it has no value.
    /// </summary>
    public string Rewrite(int index)
    {
        var (code, tree, model) = cells[index];
        var edits = new List<(TextSpan Span, string Text)>();
        foreach (var token in tree.GetRoot().DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)))
            if (SymbolOf(token, model) is { } symbol && renamed.TryGetValue(Key(symbol), out var name)) edits.Add((token.Span, name));
        if (tree.GetCompilationUnitRoot().Members.LastOrDefault() is GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } last })
        {
            var type = model.GetTypeInfo(last.Expression).Type;
            if (type is { SpecialType: SpecialType.System_Void }) edits.Add((new TextSpan(last.Expression.Span.End, 0), ";"));
            else
            {
                edits.Add((new TextSpan(last.Expression.Span.Start, 0), "display("));
                edits.Add((new TextSpan(last.Expression.Span.End, 0), ");"));
            }
        }
        // Applied from the end, so that earlier spans stay where they were; where an insertion and a renamed name start at
        // the same place (display( before a final expression that begins with one), the name is respelled first.
        foreach (var (span, text) in edits.OrderByDescending(e => e.Span.Start).ThenBy(e => e.Span.Length == 0))
            code = code[..span.Start] + text + code[span.End..];
        return code;
    }

    // In program order, a top-level name that an earlier cell declared already is spelled apart (the later one); a nested
    // name (a loop variable, a block's local) that any cell declares at its top is spelled apart too, so that the names
    // the prose and the checks speak of, the top-level ones, keep their spelling.
    private void Decide()
    {
        var everyName = new HashSet<string>(cells.SelectMany(c => c.Tree.GetRoot().DescendantTokens()).Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        var declarations = (from c in cells
                            from node in c.Tree.GetRoot().DescendantNodes()
                            let symbol = InsideFunction(node) ? null : Declared(node, c.Model)
                            where symbol is not null
                            select symbol).ToList();
        var topLevel = new HashSet<string>(declarations.Where(IsTopLevel).Select(d => d.Name));
        HashSet<string> declared = [];
        var renames = new List<(string, string)>();
        foreach (var symbol in declarations)
        {
            if (renamed.ContainsKey(Key(symbol))) continue;
            bool isTopLevel = IsTopLevel(symbol);
            if (isTopLevel ? declared.Contains(symbol.Name) : topLevel.Contains(symbol.Name))
            {
                int n = 2;
                while (everyName.Contains($"{symbol.Name}{n}") || topLevel.Contains($"{symbol.Name}{n}")) n++;
                var name = $"{symbol.Name}{n}";
                renamed[Key(symbol)] = name;
                if (!renames.Contains((symbol.Name, name))) renames.Add((symbol.Name, name));
                if (isTopLevel) { topLevel.Add(name); declared.Add(name); }
            }
            else if (isTopLevel) declared.Add(symbol.Name);
        }
        Renames = renames;
    }

    private sealed class KeyComparer : IEqualityComparer<object>
    {
        public new bool Equals(object? x, object? y) => x is ISymbol a && y is ISymbol b ? SymbolEqualityComparer.Default.Equals(a, b) : object.Equals(x, y);
        public int GetHashCode(object key) => key is ISymbol s ? SymbolEqualityComparer.Default.GetHashCode(s) : key.GetHashCode();
    }

    private static ISymbol? Declared(SyntaxNode node, SemanticModel model) => node switch
    {
        VariableDeclaratorSyntax or SingleVariableDesignationSyntax or ForEachStatementSyntax or CatchDeclarationSyntax
            or LocalFunctionStatementSyntax or MethodDeclarationSyntax or FromClauseSyntax or LetClauseSyntax or JoinClauseSyntax
            or QueryContinuationSyntax => model.GetDeclaredSymbol(node),
        _ => null,
    };

    // Locals of lambdas and local functions may reuse an enclosing name (C# 8 and later), so they keep theirs.
    private static bool InsideFunction(SyntaxNode node) => node.Ancestors().Any(a =>
        a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MethodDeclarationSyntax || a is BaseTypeDeclarationSyntax);

    private static ISymbol? SymbolOf(SyntaxToken token, SemanticModel model)
    {
        var node = token.Parent!;
        if (model.GetDeclaredSymbol(node) is { } declared && Declares(node, token)) return declared;
        if (node is IdentifierNameSyntax name)
        {
            var info = model.GetSymbolInfo(name);
            return info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
        }
        return null;
    }

    private static bool Declares(SyntaxNode node, SyntaxToken token) => node switch
    {
        VariableDeclaratorSyntax v => v.Identifier == token,
        SingleVariableDesignationSyntax d => d.Identifier == token,
        ForEachStatementSyntax f => f.Identifier == token,
        CatchDeclarationSyntax c => c.Identifier == token,
        LocalFunctionStatementSyntax l => l.Identifier == token,
        MethodDeclarationSyntax m => m.Identifier == token,
        FromClauseSyntax f => f.Identifier == token,
        LetClauseSyntax l => l.Identifier == token,
        JoinClauseSyntax j => j.Identifier == token,
        QueryContinuationSyntax q => q.Identifier == token,
        _ => false,
    };

    // The framework and every assembly beside this program (the library, its packages): what a lesson's cells can name.
    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var beside = Directory.GetFiles(AppContext.BaseDirectory, "*.dll");
        return [.. platform.Concat(beside).DistinctBy(Path.GetFileName).Where(HasMetadata).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }

    private static bool HasMetadata(string path)
    {
        try
        {
            using var pe = new PEReader(File.OpenRead(path));
            return pe.HasMetadata;
        }
        catch (BadImageFormatException) { return false; }
        catch (IOException) { return false; }
    }
}
