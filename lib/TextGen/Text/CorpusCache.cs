// The local corpus cache: files arrive by download or from a local copy, and are kept only after
// their size and SHA-256 match the catalog. Writes are atomic, so a broken download leaves nothing.
using System.Security.Cryptography;

namespace TextGen.Text;

/// <summary>A folder of verified corpus files.</summary>
public sealed class CorpusCache(string directory)
{
    /// <summary>The environment variable that points the cache elsewhere.</summary>
    public const string DirectoryVariable = "TEXTGEN_DATA";

    /// <summary>The cache folder.</summary>
    public string Directory { get; } = directory;

    /// <summary>
    /// The default cache: $TEXTGEN_DATA, else data/cache of the repository found above the working directory or the
    /// library, else ~/.cache/textgen.
    /// </summary>
    public static CorpusCache Default()
    {
        var env = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrWhiteSpace(env)) return new CorpusCache(env);
        foreach (var start in new[] { System.IO.Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "data", "catalog.json"))) return new CorpusCache(Path.Combine(d.FullName, "data", "cache"));
        return new CorpusCache(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "textgen"));
    }

    /// <summary>Path of a corpus in the cache (it may not exist yet).</summary>
    public string PathOf(CatalogEntry entry) => Path.Combine(Directory, entry.File);

    /// <summary>Whether the corpus is cached with the right size (the hash was checked when it was added).</summary>
    public bool Contains(CatalogEntry entry) => File.Exists(PathOf(entry)) && new FileInfo(PathOf(entry)).Length == entry.Bytes;

    /// <summary>Copies a local file into the cache after checking its size and SHA-256.</summary>
    public string AddFromFile(string name, string sourcePath)
    {
        var entry = CorpusCatalog.Find(name);
        if (!File.Exists(sourcePath)) throw new FileNotFoundException($"data add: file '{sourcePath}' does not exist");
        var bytes = File.ReadAllBytes(sourcePath);
        Verify(entry, bytes, $"file '{sourcePath}'");
        return Store(entry, bytes);
    }

    /// <summary>The cached file of a corpus, downloading and verifying it first when missing.</summary>
    public string Fetch(CatalogEntry entry, HttpClient? client = null, string? urlOverride = null)
    {
        if (Contains(entry)) return PathOf(entry);
        var url = urlOverride ?? entry.Url;
        byte[] bytes;
        var http = client ?? new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        try
        {
            bytes = http.GetByteArrayAsync(url).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            throw new IOException($"could not download corpus '{entry.Name}' from {url} ({e.Message}); without internet, copy the file in with " +
                $"'textgen data add {entry.Name} FILE'", e);
        }
        finally
        {
            if (client is null) http.Dispose();
        }
        Verify(entry, bytes, $"the download from {url}");
        return Store(entry, bytes);
    }

    private static void Verify(CatalogEntry entry, byte[] bytes, string source)
    {
        if (bytes.Length != entry.Bytes)
            throw new InvalidDataException($"corpus '{entry.Name}': {source} has {bytes.Length} bytes, expected {entry.Bytes}; nothing was cached");
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (hash != entry.Sha256)
            throw new InvalidDataException($"corpus '{entry.Name}': {source} has SHA-256 {hash}, expected {entry.Sha256}; nothing was cached");
    }

    private string Store(CatalogEntry entry, byte[] bytes)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = PathOf(entry);
        var tmp = path + $".{Environment.ProcessId}.tmp";
        File.WriteAllBytes(tmp, bytes);
        File.Move(tmp, path, overwrite: true);
        return path;
    }
}
