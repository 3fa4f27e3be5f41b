// Seeded mutation fuzzing of the checkpoint loader: bit flips, truncations, rewritten header lengths,
// huge sizes, bad offsets, non-JSON and wrong dtypes. Every file must load or be rejected with a
// CheckpointException — never another exception, never a hang, never an allocation beyond its size.
using System.Diagnostics;
using System.Text;
using TextGen.Nn;
using TextGen.Tensors;
using TextGen.Training;
using TextGen.Text;
using Xunit;

namespace TextGen.Tests.Reliability;

public class HostileCheckpointTests
{
    /// <summary>Cases per run: 100,000 with TEXTGEN_RELIABILITY_FULL=1, fewer in the normal suite.</summary>
    private static int Cases => Environment.GetEnvironmentVariable("TEXTGEN_RELIABILITY_FULL") == "1" ? 100_000 : 5_000;

    private static byte[] ValidCheckpoint()
    {
        var path = Path.Combine(Path.GetTempPath(), $"textgen-fuzz-{Guid.NewGuid():N}.safetensors");
        try
        {
            ModelCheckpoint.Save(path, new CharRnnModel(new CharRnnConfig(5, RecurrentArch.Lstm, 3, 4, 1), seed: 2), TokenizerKind.Char, ["a", "b", "c", "d", "e"]);
            return File.ReadAllBytes(path);
        }
        finally { File.Delete(path); }
    }

    private static byte[] Mutate(byte[] good, Generator g)
    {
        var b = (byte[])good.Clone();
        int headerLen = (int)BitConverter.ToUInt64(good, 0);
        switch (g.NextInt(8))
        {
            case 0: // bit flips anywhere
                for (int i = 0, n = 1 + g.NextInt(8); i < n; i++) b[g.NextInt(b.Length)] ^= (byte)(1 << g.NextInt(8));
                return b;
            case 1: // truncation
                return b[..g.NextInt(b.Length)];
            case 2: // another header length, small or huge
                BitConverter.GetBytes(g.NextInt(2) == 0 ? (ulong)g.NextInt(b.Length * 2) : g.NextUInt64()).CopyTo(b, 0);
                return b;
            case 3: // bit flips inside the JSON header only
                for (int i = 0, n = 1 + g.NextInt(4); i < n; i++) b[8 + g.NextInt(headerLen)] ^= (byte)(1 << g.NextInt(7));
                return b;
            default: // textual edits of the header: sizes, offsets, dtype, names, metadata
                var header = Encoding.UTF8.GetString(b, 8, headerLen);
                string[] edits = ["\"F32\"|\"F16\"", "\"shape\":[|\"shape\":[99999999,", "\"data_offsets\":[0,|\"data_offsets\":[4,", "\"vocab\"|\"vocab_\"",
                    "\"hidden_size\":\"4\"|\"hidden_size\":\"5\"", "\"num_layers\":\"1\"|\"num_layers\":\"2\"", "{|[", "\"arch\":\"lstm\"|\"arch\":\"gru\"",
                    "]|,-1]", "\"format\":\"textgen/1\"|\"format\":\"other\"", "\"dtype\"|\"dtyp\"", "\"embedding_dim\":\"3\"|\"embedding_dim\":\"-3\""];
                var (from, to) = edits[g.NextInt(edits.Length)].Split('|') is var p ? (p[0], p[1]) : default;
                int at = header.IndexOf(from, StringComparison.Ordinal);
                if (at < 0) return b;
                header = header[..at] + to + header[(at + from.Length)..];
                var hb = Encoding.UTF8.GetBytes(header);
                var result = new byte[8 + hb.Length + (b.Length - 8 - headerLen)];
                BitConverter.GetBytes((ulong)hb.Length).CopyTo(result, 0);
                hb.CopyTo(result, 8);
                Array.Copy(b, 8 + headerLen, result, 8 + hb.Length, b.Length - 8 - headerLen);
                return result;
        }
    }

    [Fact]
    public void Every_mutated_checkpoint_loads_or_is_rejected_with_a_checkpoint_exception()
    {
        var good = ValidCheckpoint();
        var g = new Generator(2026);
        int rejected = 0, loaded = 0;
        var dir = Directory.CreateTempSubdirectory("textgen-fuzz-").FullName;
        var path = Path.Combine(dir, "m.safetensors");
        try
        {
            for (int i = 0; i < Cases; i++)
            {
                var bytes = Mutate(good, g);
                File.WriteAllBytes(path, bytes);
                long before = GC.GetAllocatedBytesForCurrentThread();
                var clock = Stopwatch.StartNew();
                try
                {
                    ModelCheckpoint.Load(path);
                    loaded++;
                }
                catch (CheckpointException e)
                {
                    Assert.False(string.IsNullOrWhiteSpace(e.Message));
                    rejected++;
                }
                catch (Exception e)
                {
                    Assert.Fail($"case {i}: {e.GetType().Name} instead of CheckpointException: {e.Message}");
                }
                // A sanity bound, not a timing: a load takes milliseconds, but a loader that trusted a hostile size would loop
                // over billions of elements for minutes. 30 s fails only such a loop, however busy the machine is.
                Assert.True(clock.ElapsedMilliseconds < 30_000, $"case {i} took {clock.ElapsedMilliseconds} ms: does the loader trust a size field?");
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                // A model of this size plus its parsing costs ~100 KB; a hostile size must not make it allocate more.
                Assert.True(allocated < 64 * bytes.Length + 2_000_000, $"case {i} allocated {allocated:N0} bytes for a {bytes.Length:N0}-byte file");
            }
        }
        finally { Directory.Delete(dir, true); }
        TestContext.Current.TestOutputHelper?.WriteLine($"mutated checkpoints: {Cases:N0}; rejected with CheckpointException {rejected:N0}, loaded {loaded:N0}, other exceptions 0");
        Assert.True(rejected > Cases / 2, $"only {rejected} of {Cases} mutations were rejected");
        Assert.Equal(Cases, rejected + loaded);
    }
}
