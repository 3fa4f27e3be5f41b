// An .ipynb file (nbformat 4) as a JSON tree: cells, their kernels and sources, and a way to write
// outputs back without disturbing anything else the file holds (Polyglot metadata included).
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TextGen.Notebooks;

/// <summary>One cell: its index, type, kernel and source text.</summary>
public sealed record NotebookCell(int Index, string CellType, string Kernel, string Source);

/// <summary>A notebook loaded from disk.</summary>
public sealed class Notebook
{
    private readonly JsonObject root;

    private Notebook(string path, JsonObject root)
    {
        Path = System.IO.Path.GetFullPath(path);
        this.root = root;
        string defaultKernel = root["metadata"]?["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]?.GetValue<string>() ?? "csharp";
        var cells = root["cells"] as JsonArray ?? throw new InvalidDataException($"notebook '{path}' has no cells array");
        Cells = cells.Select((c, i) =>
        {
            var cell = c!.AsObject();
            string type = cell["cell_type"]?.GetValue<string>() ?? "raw";
            string kernel = cell["metadata"]?["polyglot_notebook"]?["kernelName"]?.GetValue<string>()
                ?? cell["metadata"]?["dotnet_interactive"]?["language"]?.GetValue<string>() ?? defaultKernel;
            return new NotebookCell(i, type, kernel, JoinSource(cell["source"]));
        }).ToList();
    }

    /// <summary>Full path of the file.</summary>
    public string Path { get; }

    /// <summary>The cells in order.</summary>
    public IReadOnlyList<NotebookCell> Cells { get; }

    /// <summary>Reads a notebook; a file that is not nbformat 4 JSON is an error that says so.</summary>
    public static Notebook Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"notebook '{path}' does not exist");
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"notebook '{path}' is not valid JSON: {e.Message}", e); }
        if (node is not JsonObject obj || obj["nbformat"]?.GetValue<int>() != 4)
            throw new InvalidDataException($"notebook '{path}' is not an nbformat 4 notebook");
        return new Notebook(path, obj);
    }

    private static string JoinSource(JsonNode? source) => source switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l!.GetValue<string>())),
        JsonValue v => v.GetValue<string>(),
        _ => "",
    };

    /// <summary>Replaces the outputs of code cells with those given (by cell index) and saves the file.</summary>
    public void WriteOutputs(IReadOnlyDictionary<int, IReadOnlyList<CellOutput>> outputs)
    {
        var cells = root["cells"]!.AsArray();
        int count = 0;
        for (int i = 0; i < cells.Count; i++)
        {
            var cell = cells[i]!.AsObject();
            if (cell["cell_type"]?.GetValue<string>() != "code") continue;
            var list = new JsonArray();
            if (outputs.TryGetValue(i, out var outs))
            {
                count++;
                foreach (var o in outs) list.Add(o.ToJson());
                cell["execution_count"] = count;
            }
            else cell["execution_count"] = null;
            cell["outputs"] = list;
        }
        var text = root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        TextGen.Training.AtomicFile.WriteAllText(Path, text + "\n");
    }
}

/// <summary>One output of a cell: printed text, or a displayed value in one or more MIME types.</summary>
public sealed record CellOutput(string Kind, IReadOnlyDictionary<string, string> Data)
{
    /// <summary>Standard output text.</summary>
    public static CellOutput Stream(string text) => new("stream", new Dictionary<string, string> { ["text/plain"] = text });

    /// <summary>nbformat JSON of this output.</summary>
    public JsonObject ToJson()
    {
        static JsonArray Lines(string s)
        {
            var parts = s.Split('\n');
            var a = new JsonArray();
            for (int i = 0; i < parts.Length; i++)
                if (i < parts.Length - 1) a.Add(parts[i] + "\n"); else if (parts[i].Length > 0) a.Add(parts[i]);
            return a;
        }
        if (Kind == "stream") return new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = Lines(Data["text/plain"]) };
        var data = new JsonObject();
        foreach (var (mime, value) in Data) data[mime] = Lines(value);
        return new JsonObject { ["output_type"] = "display_data", ["data"] = data, ["metadata"] = new JsonObject() };
    }
}
