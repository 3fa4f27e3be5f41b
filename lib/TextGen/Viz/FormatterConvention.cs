// Rich display in .NET Interactive without referencing it: the kernel looks for an attribute named
// TypeFormatterSourceAttribute and asks its source for formatters (MimeType + Format).
namespace TextGen.Viz;

/// <summary>Names the class that provides notebook formatters for the type it decorates (matched by name by the kernel).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class TypeFormatterSourceAttribute(Type formatterSourceType) : Attribute
{
    /// <summary>The formatter source type.</summary>
    public Type FormatterSourceType { get; } = formatterSourceType;

    /// <summary>MIME types the kernel should prefer.</summary>
    public string[] PreferredMimeTypes { get; set; } = [];
}

/// <summary>Provides the HTML and SVG formatters of <see cref="PlotlyFigure"/>.</summary>
public sealed class FigureFormatterSource
{
    /// <summary>The formatters.</summary>
    public System.Collections.IEnumerable CreateTypeFormatters() => new object[] { new FigureFormatter("text/html"), new FigureFormatter("image/svg+xml") };
}

/// <summary>Writes a figure as HTML (with plotly.js) or as static SVG.</summary>
public sealed class FigureFormatter(string mimeType)
{
    /// <summary>The MIME type written.</summary>
    public string MimeType { get; } = mimeType;

    /// <summary>Writes <paramref name="instance"/> when it is a figure.</summary>
    public bool Format(object instance, TextWriter writer)
    {
        if (instance is not PlotlyFigure figure) return false;
        writer.Write(MimeType == "text/html" ? figure.ToHtml() : figure.ToSvg());
        return true;
    }
}
