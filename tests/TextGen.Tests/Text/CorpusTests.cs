// Corpora: normalisation, hostile files, the catalog's checksums, the cache and the download path.
using System.Net;
using System.Security.Cryptography;
using System.Text;
using TextGen.Text;
using Xunit;

namespace TextGen.Tests.Text;

public class CorpusTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("textgen-corpus-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Write(string name, byte[] bytes) { var p = Path.Combine(dir, name); File.WriteAllBytes(p, bytes); return p; }

    [Fact]
    public void Bom_is_dropped_and_crlf_becomes_lf()
    {
        var p = Write("a.txt", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("one\r\ntwo\r\n")]);
        Assert.Equal("one\ntwo\n", Corpus.FromFile(p).Text);
    }

    [Fact]
    public void Invalid_utf8_nul_bytes_and_empty_files_are_rejected_with_the_reason()
    {
        Assert.Contains("offset 3", Assert.Throws<InvalidDataException>(() => Corpus.FromFile(Write("bad.txt", [0x61, 0x62, 0x63, 0xFF, 0x64]))).Message);
        Assert.Contains("NUL byte at offset 1", Assert.Throws<InvalidDataException>(() => Corpus.FromFile(Write("nul.txt", [0x61, 0, 0x62]))).Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => Corpus.FromFile(Write("empty.txt", []))).Message);
    }

    [Fact]
    public void Unknown_corpus_name_lists_the_known_ones()
    {
        var ex = Assert.Throws<ArgumentException>(() => Corpus.Load("shakespear", new CorpusCache(dir)));
        Assert.Contains("tinyshakespeare", ex.Message);
        Assert.Contains("file", ex.Message);
    }

    [Fact]
    public void Catalog_matches_the_shared_checksums_and_the_repository_copy()
    {
        var sums = File.ReadAllLines(SharedData.File("SHA256SUMS")).Select(l => l.Split("  ")).ToDictionary(p => p[1], p => p[0]);
        foreach (var e in CorpusCatalog.Entries)
        {
            Assert.Equal(sums[e.File], e.Sha256);
            Assert.Equal(new FileInfo(SharedData.File(e.File)).Length, e.Bytes);
        }
        string? repoCatalog = null;
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "data", "catalog.json"))) { repoCatalog = Path.Combine(d.FullName, "data", "catalog.json"); break; }
        Assert.NotNull(repoCatalog);
        Assert.Equal(CorpusCatalog.Parse(File.ReadAllText(repoCatalog)), CorpusCatalog.Entries);
    }

    [Fact]
    public void Data_add_verifies_the_hash_before_caching()
    {
        var cache = new CorpusCache(Path.Combine(dir, "cache"));
        var path = cache.AddFromFile("timemachine", SharedData.File("timemachine.txt"));
        Assert.Equal("8424dbd9532ac81f7e5f0b6add90e6952baea29158309d7d1bf3884f4e12c516", Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));
        var corpus = Corpus.Load("timemachine", cache);
        Assert.StartsWith("The Time Machine, by H. G. Wells", corpus.Text);
        var wrong = Write("wrong.txt", new byte[178979]);
        var ex = Assert.Throws<InvalidDataException>(() => new CorpusCache(Path.Combine(dir, "c2")).AddFromFile("timemachine", wrong));
        Assert.Contains("SHA-256", ex.Message);
        Assert.False(Directory.Exists(Path.Combine(dir, "c2")) && Directory.EnumerateFiles(Path.Combine(dir, "c2")).Any());
    }

    [Fact]
    public async Task Download_from_a_local_server_is_verified_and_a_bad_download_is_not_cached()
    {
        var good = File.ReadAllBytes(SharedData.File("timemachine.txt"));
        var bad = (byte[])good.Clone(); bad[100] ^= 1;
        int port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var server = Task.Run(async () =>
        {
            for (int i = 0; i < 2; i++)
            {
                var ctx = await listener.GetContextAsync();
                var body = ctx.Request.Url!.AbsolutePath.EndsWith("good") ? good : bad;
                ctx.Response.ContentLength64 = body.Length;
                await ctx.Response.OutputStream.WriteAsync(body);
                ctx.Response.Close();
            }
        });
        var entry = CorpusCatalog.Find("timemachine");
        var badCache = new CorpusCache(Path.Combine(dir, "bad"));
        var ex = Assert.Throws<InvalidDataException>(() => badCache.Fetch(entry, urlOverride: $"http://127.0.0.1:{port}/bad"));
        Assert.Contains("nothing was cached", ex.Message);
        Assert.False(badCache.Contains(entry));
        var goodCache = new CorpusCache(Path.Combine(dir, "good"));
        var path = goodCache.Fetch(entry, urlOverride: $"http://127.0.0.1:{port}/good");
        Assert.Equal(good, File.ReadAllBytes(path));
        await server.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    [Fact]
    public void Split_is_contiguous_ninety_ten()
    {
        var ids = Enumerable.Range(0, 100).ToArray();
        var (train, val) = Corpus.Split(ids);
        Assert.Equal(Enumerable.Range(0, 90), train);
        Assert.Equal(Enumerable.Range(90, 10), val);
    }

    private static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    [Fact]
    public void Austen_as_loaded_holds_no_gutenberg_text_and_is_the_shared_clean_copy_as_paragraphs()
    {
        TextGen.Tests.Notebooks.Course.EnsureCorpora();
        var raw = Corpus.FromFile(SharedData.File("pride_and_prejudice.txt")).Text;
        var austen = Corpus.Load("pride-and-prejudice").Text;
        var clean = File.ReadAllText(SharedData.File("pride_and_prejudice.clean.txt"));
        Assert.Equal(clean, GutenbergText.Strip(raw));
        Assert.Equal(ParagraphText.Join(clean), austen);
        Assert.DoesNotContain("Gutenberg", austen, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("PRIDE AND PREJUDICE", austen);
        Assert.Equal(84, raw.Distinct().Count());
        Assert.Equal(75, austen.Distinct().Count());
        Assert.DoesNotContain('#', austen);   // '#', '%' and '@' came only from the licence
        Assert.DoesNotContain('@', austen);
    }

    [Fact]
    public void A_text_catalogued_as_gutenberg_without_its_markers_is_refused_with_the_reason()
    {
        var e = Assert.Throws<InvalidDataException>(() => GutenbergText.Strip("Chapter 1\nIt is a truth.\n", "austen"));
        Assert.Contains("START OF", e.Message);
        Assert.Equal("Chapter 1\nIt is a truth.\n", GutenbergText.Strip("header\n*** START OF THE BOOK ***\nProduced by someone\n\nChapter 1\nIt is a truth.\n\nEnd of the Project Gutenberg EBook of it\n*** END OF THE BOOK ***\nlicence\n"));
    }
}
