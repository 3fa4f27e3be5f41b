// A large corpus file is read in streaming passes into a single string: BOM and CRLF handled, and
// no second copy of the text (the allocation stays close to the text's own size).
using System.Text;
using TextGen.Text;
using Xunit;

namespace TextGen.Tests.Reliability;

public class LargeCorpusTests
{
    /// <summary>Bytes of the generated file: 1 GB with TEXTGEN_RELIABILITY_FULL=1, 64 MB in the normal suite.</summary>
    private static long Size => Environment.GetEnvironmentVariable("TEXTGEN_RELIABILITY_FULL") == "1" ? 1_000_000_000 : 64_000_000;

    [Fact]
    public void Large_file_with_bom_and_crlf_is_read_once_into_one_string()
    {
        var path = Path.Combine(Path.GetTempPath(), $"textgen-big-{Guid.NewGuid():N}.txt");
        var line = Encoding.UTF8.GetBytes("To be, or not to be: that is the question. Ça va? \r\n"); // 'Ç' is two bytes
        long lines = (Size - 3) / line.Length;
        try
        {
            using (var f = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                f.Write([0xEF, 0xBB, 0xBF]);
                var block = Enumerable.Repeat(line, 10_000).SelectMany(b => b).ToArray();
                long written = 0;
                for (; written + 10_000 <= lines; written += 10_000) f.Write(block);
                for (; written < lines; written++) f.Write(line);
            }
            long expectedChars = lines * (line.Length - 2); // one char fewer for 'Ç', one for each dropped CR
            GC.Collect();
            long before = GC.GetAllocatedBytesForCurrentThread();
            var corpus = Corpus.FromFile(path);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(expectedChars, corpus.Length);
            Assert.StartsWith("To be, or not to be", corpus.Text);
            Assert.EndsWith("Ça va? \n", corpus.Text);
            Assert.DoesNotContain('\r', corpus.Text.AsSpan(0, 10_000).ToString());
            Assert.True(allocated < 2 * expectedChars + 16_000_000, $"reading {expectedChars:N0} characters allocated {allocated:N0} bytes: more than one copy");
            TestContext.Current.TestOutputHelper?.WriteLine($"{new FileInfo(path).Length:N0} bytes read into {corpus.Length:N0} characters, {allocated:N0} bytes allocated");
        }
        finally { File.Delete(path); }
    }
}
