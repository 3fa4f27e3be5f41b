// Reading a corpus file of any size into exactly one string: a first streaming pass validates UTF-8,
// finds NUL bytes and counts the characters and CRLF pairs; a second decodes straight into the
// final string, dropping the BOM and the CR of every CRLF. Peak memory is the text itself.
using System.Buffers;
using System.Text;

namespace TextGen.Text;

internal static class CorpusFileReader
{
    private const int Chunk = 1 << 20;

    public static string Read(string path)
    {
        var (start, chars, crlf) = Scan(path);
        if (chars - crlf == 0) throw new ArgumentException($"corpus file '{path}' is empty: give it some text to learn from");
        const long MaxString = 0x3FFFFFDF; // .NET's longest string
        if (chars - crlf > MaxString)
            throw new ArgumentException($"corpus file '{path}' has {chars - crlf:N0} characters, more than one .NET string holds ({MaxString:N0}); split it into smaller files");
        return string.Create((int)(chars - crlf), (path, start), static (span, state) => Decode(state.path, state.start, span));
    }

    /// <summary>First pass: BOM length, decoded character count and CRLF pairs, with every validation.</summary>
    private static (int Start, long Chars, long Crlf) Scan(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, Chunk, FileOptions.SequentialScan);
        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        var buffer = ArrayPool<byte>.Shared.Rent(Chunk);
        var scratch = ArrayPool<char>.Shared.Rent(Chunk + 4);
        try
        {
            int start = 0;
            long offset = 0, chars = 0, crlf = 0;
            bool previousCr = false;
            int n;
            while ((n = file.Read(buffer, 0, Chunk)) > 0)
            {
                int from = 0;
                if (offset == 0 && n >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF) from = start = 3;
                var span = buffer.AsSpan(from, n - from);
                int nul = span.IndexOf((byte)0);
                if (nul >= 0) throw new InvalidDataException($"corpus file '{path}' has a NUL byte at offset {offset + from + nul}: it looks binary, not text");
                // GetChars (not GetCharCount) so the decoder carries a character split across two chunks.
                try { chars += decoder.GetChars(span, scratch, flush: false); }
                catch (DecoderFallbackException e)
                {
                    throw new InvalidDataException($"corpus file '{path}' is not valid UTF-8 (bad byte near offset {offset + from + Math.Max(0, e.Index)}); convert it with 'iconv -t UTF-8'", e);
                }
                foreach (var b in span)
                {
                    if (previousCr && b == (byte)'\n') crlf++;
                    previousCr = b == (byte)'\r';
                }
                offset += n;
            }
            try { chars += decoder.GetChars([], scratch, flush: true); }
            catch (DecoderFallbackException e) { throw new InvalidDataException($"corpus file '{path}' is not valid UTF-8 (it ends inside a character)", e); }
            return (start, chars, crlf);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<char>.Shared.Return(scratch);
        }
    }

    /// <summary>Second pass: decodes into the destination, writing a CR only when no LF follows it.</summary>
    private static void Decode(string path, int start, Span<char> destination)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, Chunk, FileOptions.SequentialScan);
        file.Position = start;
        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        var bytes = ArrayPool<byte>.Shared.Rent(Chunk);
        var chars = ArrayPool<char>.Shared.Rent(Chunk + 4);
        try
        {
            int at = 0;
            bool pendingCr = false;
            int n;
            while (true)
            {
                n = file.Read(bytes, 0, Chunk);
                int count = decoder.GetChars(bytes.AsSpan(0, n), chars, flush: n == 0);
                for (int i = 0; i < count; i++)
                {
                    char c = chars[i];
                    if (pendingCr && c != '\n') destination[at++] = '\r';
                    pendingCr = c == '\r';
                    if (!pendingCr) destination[at++] = c;
                }
                if (n == 0) break;
            }
            if (pendingCr) destination[at++] = '\r';
            if (at != destination.Length) throw new IOException($"corpus file '{path}' changed while it was read");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
