// Finds ../shared/data beside the repository: the corpora and their checksums, never committed here.
namespace TextGen.Tests;

/// <summary>Paths into the shared corpora folder.</summary>
public static class SharedData
{
    /// <summary>The folder holding tinyshakespeare.txt and SHA256SUMS.</summary>
    public static string Dir { get; } = Find();

    /// <summary>Path of a shared corpus file.</summary>
    public static string File(string name) => Path.Combine(Dir, name);

    private static string Find()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "shared", "data");
            if (System.IO.File.Exists(Path.Combine(candidate, "SHA256SUMS"))) return candidate;
        }
        throw new DirectoryNotFoundException("../shared/data (the corpora) was not found beside the repository; clone the project next to shared/");
    }
}
