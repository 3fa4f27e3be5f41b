// textgen data list | add NAME FILE: the corpus catalog and the verified local cache.
using System.CommandLine;
using TextGen.Text;

namespace TextGen.Cli.Commands;

internal static class DataCommand
{
    public static Command Create()
    {
        var list = new Command("list", "List the catalog and what is cached");
        list.SetAction(_ =>
        {
            var cache = CorpusCache.Default();
            foreach (var e in CorpusCatalog.Entries)
                Console.WriteLine($"{e.Name,-20} {e.Bytes,10:N0} bytes  {(cache.Contains(e) ? "cached" : "not cached")}  {e.Description}");
            Console.WriteLine($"cache: {cache.Directory}");
            return 0;
        });
        var name = new Argument<string>("name") { Description = "catalog name" };
        var file = new Argument<string>("file") { Description = "a local copy of the corpus" };
        var add = new Command("add", "Fill the cache from a local file after checking its size and SHA-256") { name, file };
        add.SetAction(r =>
        {
            var path = CorpusCache.Default().AddFromFile(r.GetValue(name)!, r.GetValue(file)!);
            Console.WriteLine($"verified and cached {r.GetValue(name)} at {path}");
            return 0;
        });
        var names = new Argument<string[]>("names") { Description = "catalog names (default: all)", Arity = ArgumentArity.ZeroOrMore };
        var fetch = new Command("fetch", "Download catalog corpora into the cache, verifying size and SHA-256") { names };
        fetch.SetAction(r =>
        {
            var cache = CorpusCache.Default();
            var wanted = r.GetValue(names) is { Length: > 0 } n ? n.Select(CorpusCatalog.Find) : CorpusCatalog.Entries;
            foreach (var e in wanted) Console.WriteLine($"{e.Name}: {cache.Fetch(e)}");
            return 0;
        });
        return new Command("data", "Corpus catalog and cache") { list, add, fetch };
    }
}
