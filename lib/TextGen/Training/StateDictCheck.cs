// Comparing a state dict from anywhere (TextGen, PyTorch, TorchSharp) with the tensors a model needs, before any weight
// is allocated: every missing, extra, misnamed or wrongly shaped tensor is named with the shape expected and the shape found.
using TextGen.Tensors;

namespace TextGen.Training;

/// <summary>Finds what keeps a state dict from loading into a model of known names and shapes.</summary>
internal static class StateDictCheck
{
    private const int MaxListed = 6, MaxPaired = 64;

    /// <summary>
    /// Null when <paramref name="found"/> holds exactly the <paramref name="expected"/> names with their shapes; otherwise the
    /// problems in one line, each naming the tensor with the shape expected and the shape found.
    /// </summary>
    public static string? Problems(IReadOnlyList<(string Name, int[] Shape)> expected, IReadOnlyDictionary<string, Tensor> found)
    {
        var expectedNames = expected.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var missing = expected.Where(e => !found.ContainsKey(e.Name)).ToList();
        var extra = found.Where(kv => !expectedNames.Contains(kv.Key)).Select(kv => (Name: kv.Key, Shape: kv.Value.ShapeArray))
            .OrderBy(x => x.Name, StringComparer.Ordinal).ToList();
        var problems = new List<string>();

        if (SharedPrefix(missing, extra) is { } prefix)
            return $"every tensor name carries the prefix '{prefix}' (saved from DataParallel, torch.compile or a wrapper module?): " +
                $"'{prefix}{missing[0].Name}' should be '{missing[0].Name}'; save the inner module's state_dict() or strip the prefix";

        // A tensor under a name the model lacks, with the shape of one it misses, is most likely that tensor misnamed.
        if (extra.Count <= MaxPaired && missing.Count <= MaxPaired)
            foreach (var x in extra.ToList())
            {
                var match = missing.Where(m => m.Shape.SequenceEqual(x.Shape)).OrderBy(m => Distance(m.Name, x.Name)).Select(m => m.Name).FirstOrDefault();
                if (match is null) continue;
                problems.Add($"tensor '{x.Name}' {ShapeUtil.Format(x.Shape)} is misnamed: the model names it '{match}' (expected {ShapeUtil.Format(x.Shape)})");
                missing.RemoveAll(m => m.Name == match);
                extra.Remove(x);
            }
        foreach (var m in missing) problems.Add($"tensor '{m.Name}' is missing (expected shape {ShapeUtil.Format(m.Shape)}, found none)");
        foreach (var x in extra) problems.Add($"tensor '{x.Name}' {ShapeUtil.Format(x.Shape)} is extra: the model has no such tensor");
        foreach (var (name, shape) in expected)
            if (found.TryGetValue(name, out var t) && !t.Shape.SequenceEqual(shape))
                problems.Add($"tensor '{name}' has shape {t.ShapeString} but the model needs {ShapeUtil.Format(shape)}" +
                    (shape.Length == 2 && t.Shape.Length == 2 && t.Shape[0] == shape[1] && t.Shape[1] == shape[0] ? " (transposed?)" : ""));

        if (problems.Count == 0) return null;
        return string.Join("; ", problems.Take(MaxListed)) + (problems.Count > MaxListed ? $"; and {problems.Count - MaxListed} more" : "");
    }

    // The prefix p (ending in '.') such that the extra names are exactly the missing names with p in front, if there is one.
    private static string? SharedPrefix(List<(string Name, int[] Shape)> missing, List<(string Name, int[] Shape)> extra)
    {
        if (missing.Count == 0 || missing.Count != extra.Count) return null;
        string first = extra[0].Name;
        int dot = first.IndexOf('.');
        while (dot > 0)
        {
            string prefix = first[..(dot + 1)];
            var stripped = extra.Where(x => x.Name.StartsWith(prefix, StringComparison.Ordinal)).Select(x => x.Name[prefix.Length..]).ToHashSet(StringComparer.Ordinal);
            if (stripped.Count == extra.Count && missing.All(m => stripped.Contains(m.Name))) return prefix;
            dot = first.IndexOf('.', dot + 1);
        }
        return null;
    }

    // Edit distance of two names, capped in length: names come from untrusted files.
    private static int Distance(string a, string b)
    {
        a = a.Length > 200 ? a[..200] : a;
        b = b.Length > 200 ? b[..200] : b;
        var row = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) row[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
