// The claims of an executed notebook, both ways: the ids its code cells make (Claim.That("id", ...) and Claim.Fact),
// and the claims its outputs show, with their status, evidence and bar, read back from their text form. A claim the
// code makes that no output shows is missing; on the full budget an experiment shown "○" was not checked.
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TextGen.Course;

namespace TextGen.Notebooks;

/// <summary>A claim or fact as an output shows it: where, its id, kind and status, the statement, the evidence and the bar (null when none was given).</summary>
public sealed record ClaimOutcome(int Cell, string Id, QuizKind Kind, QuizStatus Status, string Statement, string Evidence, string? Bar);

/// <summary>A call that makes a claim in a code cell: the cell and the claim's id, or null when the id is not a string literal.</summary>
public sealed record ClaimCall(int Cell, string? Id);

public static partial class OutputCheck
{
    // Claim.That("4.fused", ...), Claim.Fact(id: "6.widths", ...); anything else in the id's place is not a literal.
    [GeneratedRegex(@"\bClaim\s*\.\s*(?:That|Fact)\s*\(\s*(?:id\s*:\s*)?(?:""(?<id>[^""\n]+)""|(?<other>[^\s)]))")]
    private static partial Regex ClaimCallPattern();

    /// <summary>Every claim call in the code cells, in order. Claim ids are string literals, so that the code says which claims a run must show.</summary>
    public static IReadOnlyList<ClaimCall> ClaimsMade(JsonNode notebook)
    {
        var calls = new List<ClaimCall>();
        var cells = notebook["cells"]?.AsArray() ?? [];
        for (int i = 0; i < cells.Count; i++)
            if (cells[i]?["cell_type"]?.GetValue<string>() == "code")
                foreach (Match m in ClaimCallPattern().Matches(Join(cells[i]!["source"])))
                    calls.Add(new ClaimCall(i, m.Groups["id"].Success ? m.Groups["id"].Value : null));
        return calls;
    }

    /// <summary>Every claim and fact the outputs show, in order, read from the text form of their results.</summary>
    public static IReadOnlyList<ClaimOutcome> Claims(JsonNode notebook)
    {
        var claims = new List<ClaimOutcome>();
        foreach (var (cell, output) in Outputs(notebook))
        {
            var text = PlainText(output).Replace("\r\n", "\n");
            var heads = Headline().Matches(text);
            for (int h = 0; h < heads.Count; h++)
            {
                if (!Badges.TryGetValue(heads[h].Groups["badge"].Value, out var badge) || badge.Kind == QuizKind.Answer) continue;
                int start = heads[h].Index + heads[h].Length, end = h + 1 < heads.Count ? heads[h + 1].Index : text.Length;
                var lines = text[start..end].Split('\n', StringSplitOptions.RemoveEmptyEntries);
                string statement = string.Join(" ", lines.TakeWhile(l => !l.StartsWith("  → ", StringComparison.Ordinal)).Select(l => l.Trim()));
                var feedback = lines.Where(l => l.StartsWith("  → ", StringComparison.Ordinal)).Select(l => l[4..]).ToList();
                string? bar = feedback.FirstOrDefault(l => l.StartsWith(Claim.BarLabel, StringComparison.Ordinal))?[Claim.BarLabel.Length..];
                string evidence = string.Join(" ", feedback.Where(l => !l.StartsWith(Claim.BarLabel, StringComparison.Ordinal) && !l.StartsWith(Claim.NonFiniteLabel, StringComparison.Ordinal)));
                var notes = feedback.Where(l => l.StartsWith(Claim.NonFiniteLabel, StringComparison.Ordinal));
                claims.Add(new ClaimOutcome(cell, heads[h].Groups["id"].Value, badge.Kind, badge.Status, statement, string.Join("; ", notes.Prepend(evidence).Where(e => e.Length > 0)), bar));
            }
        }
        return claims;
    }

    /// <summary>
    /// What the claims of an executed notebook lack: a claim the code makes that no output shows ("claim missing from the
    /// outputs"), a claim id that is not a string literal, an id made twice, an output claim no code cell makes, an
    /// experiment without its bar, and, when <paramref name="fullBudget"/>, an experiment shown "○" (not checked). A claim
    /// shown "✘" is among <see cref="Problems"/>.
    /// </summary>
    public static IReadOnlyList<OutputProblem> ClaimProblems(JsonNode notebook, bool fullBudget)
    {
        var problems = new List<OutputProblem>();
        var made = ClaimsMade(notebook);
        var shown = Claims(notebook);
        foreach (var call in made.Where(c => c.Id is null))
            problems.Add(new(call.Cell, "claim id is not a string literal", "write the id as \"N.name\" so that a run can be checked for it"));
        foreach (var twice in made.Where(c => c.Id is not null).GroupBy(c => c.Id!).Where(g => g.Count() > 1))
            problems.Add(new(twice.First().Cell, "claim id made twice", twice.Key));
        var shownIds = shown.Select(c => c.Id).ToHashSet();
        foreach (var call in made.Where(c => c.Id is not null && !shownIds.Contains(c.Id)).DistinctBy(c => c.Id))
            problems.Add(new(call.Cell, "claim missing from the outputs", call.Id!));
        var madeIds = made.Where(c => c.Id is not null).Select(c => c.Id!).ToHashSet();
        foreach (var claim in shown)
        {
            if (!madeIds.Contains(claim.Id)) problems.Add(new(claim.Cell, "claim in the outputs that no code cell makes", claim.Id));
            if (fullBudget && claim.Status == QuizStatus.Unanswered) problems.Add(new(claim.Cell, "claim not checked (○) in a full-budget run", claim.Id));
            if (claim.Kind == QuizKind.Claim && claim.Bar is null) problems.Add(new(claim.Cell, "claim without its bar (why this threshold)", claim.Id));
        }
        return problems;
    }
}
