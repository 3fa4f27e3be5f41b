// The safetensors format: 8-byte little-endian header length, a JSON header naming each tensor's
// dtype, shape and byte range, then raw little-endian data. Reading validates everything before
// allocating, so a hostile file is rejected with a CheckpointException and never runs code.
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using TextGen.Tensors;

namespace TextGen.Training;

/// <summary>A checkpoint that cannot be used: truncated, not safetensors, inconsistent, or of another model.</summary>
public sealed class CheckpointException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Reads and writes float32 safetensors files with string metadata.</summary>
public static class SafeTensors
{
    /// <summary>Largest JSON header accepted (the format's own limit is 100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>Writes tensors and metadata atomically: a temporary file is flushed to disk, then renamed over <paramref name="path"/>.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        var list = tensors.ToList();
        var header = new Dictionary<string, object>();
        if (metadata.Count > 0) header["__metadata__"] = metadata;
        long offset = 0;
        foreach (var (name, t) in list)
        {
            long bytes = (long)t.Numel * 4;
            header[name] = new { dtype = "F32", shape = t.ShapeArray, data_offsets = new[] { offset, offset + bytes } };
            offset += bytes;
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        int padded = (json.Length + 7) / 8 * 8; // keeps the data 8-byte aligned, as the reference writer does
        AtomicFile.Write(path, stream =>
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
            stream.Write(len);
            stream.Write(json);
            for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
            foreach (var (_, t) in list)
            {
                if (BitConverter.IsLittleEndian) stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(t.Data.AsSpan()));
                else foreach (var v in t.Data) stream.Write(BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness(BitConverter.SingleToInt32Bits(v))));
            }
        });
    }

    /// <summary>Reads every tensor and the metadata; throws <see cref="CheckpointException"/> on any inconsistency.</summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Read(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException($"checkpoint '{path}' does not exist");
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads from a seekable stream; <paramref name="displayName"/> names it in errors.</summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Read(Stream stream, string displayName)
    {
        try
        {
            return ReadChecked(stream, displayName);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException or OverflowException or EndOfStreamException)
        {
            // Malformed text inside the JSON (invalid UTF-8, bad escapes) surfaces as these; they are file damage too.
            throw new CheckpointException($"checkpoint '{displayName}' is not a valid safetensors file: {e.Message}", e);
        }
    }

    private static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) ReadChecked(Stream stream, string displayName)
    {
        long fileLength = stream.Length;
        string Bad(string why) => $"checkpoint '{displayName}' is not a valid safetensors file: {why}";
        if (fileLength < 8) throw new CheckpointException(Bad($"it has {fileLength} bytes, fewer than the 8-byte header length (truncated?)"));
        Span<byte> lenBytes = stackalloc byte[8];
        stream.ReadExactly(lenBytes);
        ulong headerLen = BinaryPrimitives.ReadUInt64LittleEndian(lenBytes);
        if (headerLen == 0 || headerLen > (ulong)MaxHeaderBytes || headerLen > (ulong)(fileLength - 8))
            throw new CheckpointException(Bad($"declared header length {headerLen} does not fit a file of {fileLength} bytes (truncated or not safetensors)"));
        var headerBytes = new byte[headerLen];
        stream.ReadExactly(headerBytes);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(headerBytes, new JsonDocumentOptions { MaxDepth = 8 }); }
        catch (JsonException e) { throw new CheckpointException(Bad($"the header is not JSON ({e.Message})"), e); }
        using var _ = doc;
        if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new CheckpointException(Bad("the header is not a JSON object"));
        long dataStart = 8 + (long)headerLen, dataLength = fileLength - dataStart;
        var metadata = new Dictionary<string, string>();
        var entries = new List<(string Name, int[] Shape, long Begin, long End)>();
        foreach (var prop in doc.RootElement.EnumerateObject())
        {
            if (prop.Name == "__metadata__")
            {
                if (prop.Value.ValueKind != JsonValueKind.Object) throw new CheckpointException(Bad("__metadata__ is not an object"));
                foreach (var m in prop.Value.EnumerateObject())
                {
                    if (m.Value.ValueKind != JsonValueKind.String) throw new CheckpointException(Bad($"metadata '{m.Name}' is not a string"));
                    metadata[m.Name] = m.Value.GetString()!;
                }
                continue;
            }
            entries.Add(ParseEntry(prop, dataLength, Bad));
        }
        // Byte ranges must tile the data region exactly: no gaps, overlaps or trailing bytes.
        var sorted = entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ToList();
        long expect = 0;
        foreach (var e in sorted)
        {
            if (e.Begin != expect) throw new CheckpointException(Bad($"tensor '{e.Name}' starts at byte {e.Begin}, expected {expect} (overlapping or gapped offsets)"));
            expect = e.End;
        }
        if (expect != dataLength) throw new CheckpointException(Bad($"the tensors cover {expect} bytes but the file holds {dataLength} data bytes (truncated or padded)"));
        var tensors = new Dictionary<string, Tensor>();
        var buffer = new byte[sorted.Count == 0 ? 0 : sorted.Max(e => e.End - e.Begin)];
        foreach (var e in sorted)
        {
            int n = (int)((e.End - e.Begin) / 4);
            stream.Seek(dataStart + e.Begin, SeekOrigin.Begin);
            var span = buffer.AsSpan(0, n * 4);
            stream.ReadExactly(span);
            var data = new float[n];
            for (int i = 0; i < n; i++) data[i] = BinaryPrimitives.ReadSingleLittleEndian(span.Slice(i * 4, 4));
            tensors[e.Name] = new Tensor(data, e.Shape);
        }
        return (tensors, metadata);
    }

    private static (string, int[], long, long) ParseEntry(JsonProperty prop, long dataLength, Func<string, string> bad)
    {
        var v = prop.Value;
        if (v.ValueKind != JsonValueKind.Object) throw new CheckpointException(bad($"entry '{prop.Name}' is not an object"));
        if (!v.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String)
            throw new CheckpointException(bad($"tensor '{prop.Name}' has no dtype"));
        if (dt.GetString() != "F32") throw new CheckpointException(bad($"tensor '{prop.Name}' has dtype {dt.GetString()}; TextGen reads F32 only (save with .float())"));
        if (!v.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array || sh.GetArrayLength() > 8)
            throw new CheckpointException(bad($"tensor '{prop.Name}' has no valid shape"));
        var shape = new int[sh.GetArrayLength()];
        long numel = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (sh[i].ValueKind != JsonValueKind.Number || !sh[i].TryGetInt32(out shape[i]) || shape[i] < 0)
                throw new CheckpointException(bad($"tensor '{prop.Name}' has a bad dimension in its shape"));
            numel *= shape[i];
            if (numel * 4 > dataLength) throw new CheckpointException(bad($"tensor '{prop.Name}' declares more elements than the file holds (truncated?)"));
        }
        if (!v.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2
            || !off[0].TryGetInt64(out long begin) || !off[1].TryGetInt64(out long end))
            throw new CheckpointException(bad($"tensor '{prop.Name}' has no valid data_offsets"));
        if (begin < 0 || end < begin || end > dataLength)
            throw new CheckpointException(bad($"tensor '{prop.Name}' has offsets [{begin}, {end}) outside the {dataLength} data bytes (truncated?)"));
        if (end - begin != numel * 4)
            throw new CheckpointException(bad($"tensor '{prop.Name}' has {end - begin} bytes but its shape {ShapeUtil.Format(shape)} needs {numel * 4}"));
        return (prop.Name, shape, begin, end);
    }
}
