// Where a check cell's answer may appear in its lesson. For a check N.id: no cell before it, nor any from it to the
// next section heading, names a member that CheckGiveaways lists for N.id; and no code cell follows it in its own
// section, so that the code after a check (a reference, a measurement that prints the answer) is a later step.
using System.Reflection;
using System.Text.RegularExpressions;

namespace TextGen.Tests.Notebooks;

public static partial class CheckPlacement
{
    [GeneratedRegex(@"//\s*✎\s*(?<id>\d+\.[\w-]+)")]
    private static partial Regex Marker();

    /// <summary>The check ids marked in a cell, in order.</summary>
    public static IEnumerable<string> ChecksIn(LessonCell cell) =>
        cell.IsCode ? Marker().Matches(cell.Source).Select(m => m.Groups["id"].Value).Distinct() : [];

    /// <summary>What breaks the rule in <paramref name="cells"/>, given each check's giveaways (null: not declared).</summary>
    public static IEnumerable<string> Violations(IReadOnlyList<LessonCell> cells, Func<string, string[]?> giveaways)
    {
        for (int i = 0; i < cells.Count; i++)
            foreach (var id in ChecksIn(cells[i]))
            {
                int end = Enumerable.Range(i + 1, cells.Count - i - 1).FirstOrDefault(j => cells[j].OpensSection, cells.Count);
                var members = giveaways(id);
                if (members is null) yield return $"check {id} (cell {i}) declares no giveaways: add its line to CheckGiveaways";
                foreach (var member in members ?? [])
                {
                    var pattern = Pattern(member);
                    for (int j = 0; j < end; j++)
                        if (pattern.IsMatch(cells[j].Source))
                            yield return $"check {id} (cell {i}): cell {j} names {member}, which computes the check's answer, " +
                                (j < i ? "before the check" : j == i ? "in the check's own cell" : "in the check's section");
                }
                for (int j = i + 1; j < end; j++)
                    if (cells[j].IsCode)
                        yield return $"check {id} (cell {i}): code cell {j} follows it in its section; the code after a check starts a new section";
            }
    }

    /// <summary>
    /// How a cell names <paramref name="member"/>: a type by its name; a static member as Type.Member; an instance member
    /// as .Member on any receiver (a variable's type is not known without compiling the cell).
    /// </summary>
    public static Regex Pattern(string member)
    {
        var parts = member.Split('.');
        var types = Library.SelectMany(a => a.GetExportedTypes()).Where(t => t.Name == parts[0]).ToList();
        if (types.Count == 0) throw new ArgumentException($"giveaway {member}: no public type {parts[0]} in the library or System");
        if (parts.Length == 1) return new Regex($@"\b{parts[0]}\b");
        var found = types.SelectMany(t => t.GetMember(parts[1], BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance)).ToList();
        if (found.Count == 0) throw new ArgumentException($"giveaway {member}: {parts[0]} has no public member {parts[1]}");
        bool isStatic = found.All(m => m switch
        {
            MethodInfo method => method.IsStatic,
            PropertyInfo property => property.GetMethod?.IsStatic == true,
            FieldInfo field => field.IsStatic,
            _ => false,
        });
        return isStatic ? new Regex($@"\b{parts[0]}\.{parts[1]}\b") : new Regex($@"\.{parts[1]}\b");
    }

    private static readonly Assembly[] Library =
        [typeof(TextGen.Tensors.Tensor).Assembly, typeof(TextGen.Course.Quiz).Assembly, typeof(Math).Assembly];
}
