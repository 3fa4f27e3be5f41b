// Which lessons a full-budget verification must run when not all of them fit in CI's time: those whose recorded run
// no longer stands for them. The record is each lesson's own stamp (metadata textgen.outputs), written by the full run
// that wrote its committed outputs (`textgen notebook run notebooks/*.ipynb --write-outputs`); a lesson is due when that
// record is missing, quick, not clean, or made with other code cells or other library and course sources.
using System.Text.Json.Nodes;

namespace TextGen.Notebooks;

/// <summary>A lesson and why it must be verified again (null: its recorded full run still stands).</summary>
public sealed record LessonDue(string Path, string? Reason)
{
    /// <summary>True when the lesson must run.</summary>
    public bool Due => Reason is not null;
}

/// <summary>Chooses the lessons whose recorded full-budget run no longer stands for them.</summary>
public static class VerificationSelection
{
    /// <summary>
    /// Why <paramref name="notebook"/> must be verified again, or null when its recorded run stands: the stamp is a clean
    /// full run (<see cref="OutputStamp.Problems"/> finds nothing) of these code cells, made with the sources whose
    /// fingerprint is <paramref name="sources"/> (<see cref="SourceFingerprint.Of"/>).
    /// </summary>
    public static string? Reason(JsonNode notebook, string sources)
    {
        var stamp = OutputStamp.Of(notebook);
        if (stamp is null) return "no recorded run";
        if (stamp.Budget != "full") return $"its recorded run is a {stamp.Budget} run";
        if (stamp.Code != OutputStamp.Fingerprint(notebook)) return "its code cells changed since the recorded full run";
        if (stamp.Sources != sources) return "the library or course sources changed since the recorded full run";
        var problems = OutputStamp.Problems(notebook);
        return problems.Count > 0 ? $"its recorded run is not clean ({problems[0]})" : null;
    }

    /// <summary>Every notebook of <paramref name="paths"/> with its reason, in the order given; sources from the repository that holds each.</summary>
    public static IReadOnlyList<LessonDue> Select(IEnumerable<string> paths)
    {
        var sources = new Dictionary<string, string>();
        var due = new List<LessonDue>();
        foreach (var path in paths)
        {
            var root = CoursePackage.FindRepository(Path.GetDirectoryName(Path.GetFullPath(path))!) ?? "";
            if (!sources.TryGetValue(root, out var fingerprint)) sources[root] = fingerprint = SourceFingerprint.Of(root.Length == 0 ? null : root);
            var notebook = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"notebook '{path}' is empty");
            due.Add(new LessonDue(path, Reason(notebook, fingerprint)));
        }
        return due;
    }
}
