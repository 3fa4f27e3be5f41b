// What a cell sees besides its own code, as the .NET Interactive C# kernel offers it: display(...)
// returning a handle that can be updated in place, and HTML(...).
using System.Reflection;

namespace TextGen.Notebooks;

/// <summary>A displayed value that a later call can replace (a live-updating line).</summary>
public sealed class DisplayHandle
{
    private readonly NotebookGlobals owner;
    internal DisplayHandle(NotebookGlobals owner, int slot) { this.owner = owner; Slot = slot; }
    internal int Slot { get; }

    /// <summary>Replaces what this handle shows.</summary>
    public void Update(object? value) => owner.Replace(Slot, value);
}

/// <summary>Raw HTML to display.</summary>
public sealed record HtmlString(string Html)
{
    /// <summary>The HTML itself.</summary>
    public string ToHtml() => Html;

    /// <inheritdoc />
    public override string ToString() => Html;
}

/// <summary>The globals object of the scripting session: the helpers a lesson may call.</summary>
public class NotebookGlobals
{
    internal List<CellOutput> Outputs { get; set; } = [];
    internal List<object> Displayed { get; } = [];
    internal Action? FlushStdout { get; set; }

    /// <summary>Shows a value below the cell and returns a handle to update it.</summary>
#pragma warning disable IDE1006 // the kernel's helpers are lower-case
    public DisplayHandle display(object? value)
    {
        FlushStdout?.Invoke();
        Outputs.Add(Format(value));
        if (value is not null) Displayed.Add(value);
        return new DisplayHandle(this, Outputs.Count - 1);
    }

    /// <summary>Marks a string as HTML for display.</summary>
    public HtmlString HTML(string html) => new(html);
#pragma warning restore IDE1006

    /// <summary>
    /// The convention .NET Interactive follows: an attribute named TypeFormatterSourceAttribute on the value's type names a
    /// source whose CreateTypeFormatters() returns objects with MimeType and Format(object, TextWriter).
    /// </summary>
    private static bool FormatterConvention(object value, Dictionary<string, string> data)
    {
        var attribute = value.GetType().GetCustomAttributes(inherit: true).FirstOrDefault(a => a.GetType().Name == "TypeFormatterSourceAttribute");
        if (attribute?.GetType().GetProperty("FormatterSourceType")?.GetValue(attribute) is not Type sourceType) return false;
        var source = Activator.CreateInstance(sourceType);
        if (sourceType.GetMethod("CreateTypeFormatters")?.Invoke(source, null) is not System.Collections.IEnumerable formatters) return false;
        bool any = false;
        foreach (var f in formatters)
        {
            var mime = f.GetType().GetProperty("MimeType")?.GetValue(f) as string;
            var format = f.GetType().GetMethod("Format", [typeof(object), typeof(TextWriter)]);
            if (mime is null || format is null) continue;
            var writer = new StringWriter();
            if (format.Invoke(f, [value, writer]) is true) { data[mime] = writer.ToString(); any = true; }
        }
        return any;
    }

    internal void Replace(int slot, object? value)
    {
        if (slot < Outputs.Count) Outputs[slot] = Format(value);
        if (value is not null) Displayed.Add(value);
    }

    /// <summary>
    /// Formats a value the way our formatter convention does: text/plain always; text/html and image/svg+xml when the
    /// value has public ToHtml() or ToSvg() methods returning strings.
    /// </summary>
    public static CellOutput Format(object? value)
    {
        var data = new Dictionary<string, string> { ["text/plain"] = value?.ToString() ?? "null" };
        if (value is not null && FormatterConvention(value, data)) return new CellOutput("display", data);
        if (value is not null)
            foreach (var (method, mime) in new[] { ("ToHtml", "text/html"), ("ToSvg", "image/svg+xml") })
                if (value.GetType().GetMethod(method, BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes) is { ReturnType: var rt } m && rt == typeof(string))
                    data[mime] = (string)m.Invoke(value, null)!;
        return new CellOutput("display", data);
    }
}
