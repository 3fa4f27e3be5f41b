// A minimal PNG decoder for the browser tests' screenshots: 8-bit greyscale, RGB or RGBA, not interlaced,
// which is what Chromium writes. Enough to count a picture's pixels and colours; nothing else reads PNGs.
using System.Buffers.Binary;
using System.IO.Compression;

namespace TextGen.Tests.Browser;

/// <summary>A decoded PNG as 8-bit RGBA pixels, row by row from the top.</summary>
public sealed class PngImage
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    public int Width { get; }
    public int Height { get; }
    /// <summary>Width × Height × 4 bytes: red, green, blue, alpha.</summary>
    public byte[] Rgba { get; }

    private PngImage(int width, int height, byte[] rgba) => (Width, Height, Rgba) = (width, height, rgba);

    /// <summary>The pixel at (x, y) as 0xRRGGBB; alpha is ignored because screenshots are opaque.</summary>
    public int Rgb(int x, int y)
    {
        int i = (y * Width + x) * 4;
        return (Rgba[i] << 16) | (Rgba[i + 1] << 8) | Rgba[i + 2];
    }

    /// <summary>The share of pixels that differ from the picture's commonest colour (its background), and how many colours it has.</summary>
    public (double InkShare, int Colours) Ink()
    {
        var counts = new Dictionary<int, int>();
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
                counts[Rgb(x, y)] = counts.GetValueOrDefault(Rgb(x, y)) + 1;
        if (counts.Count == 0) return (0, 0);
        int background = counts.MaxBy(kv => kv.Value).Key;
        long ink = 0;
        // Pixels within a few levels of the background (the soft edge of an empty box) are not ink.
        foreach (var (rgb, n) in counts) if (Distance(rgb, background) > 16) ink += n;
        return ((double)ink / (Width * Height), counts.Count);
    }

    private static int Distance(int a, int b) => Math.Max(Math.Abs((a >> 16) - (b >> 16)), Math.Max(Math.Abs(((a >> 8) & 255) - ((b >> 8) & 255)), Math.Abs((a & 255) - (b & 255))));

    public static PngImage Decode(ReadOnlySpan<byte> png)
    {
        if (png.Length < Signature.Length || !png[..Signature.Length].SequenceEqual(Signature)) throw new InvalidDataException("not a PNG file");
        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        for (int at = Signature.Length; at + 8 <= png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png[at..]);
            var type = System.Text.Encoding.ASCII.GetString(png.Slice(at + 4, 4));
            var data = png.Slice(at + 8, length);
            at += 12 + length;   // length, type, data, CRC (not verified: the bytes come straight from the browser)
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                byte depth = data[8], colour = data[9], interlace = data[12];
                channels = colour switch { 0 => 1, 2 => 3, 4 => 2, 6 => 4, _ => 0 };
                if (depth != 8 || channels == 0 || interlace != 0)
                    throw new NotSupportedException($"PNG with bit depth {depth}, colour type {colour}, interlace {interlace}: only 8-bit grey, RGB or RGBA without interlace is read");
            }
            else if (type == "IDAT") idat.Write(data);
            else if (type == "IEND") break;
        }
        if (channels == 0) throw new InvalidDataException("PNG without an IHDR chunk");

        int stride = width * channels;
        var raw = new byte[(stride + 1) * height];
        idat.Position = 0;
        using (var z = new ZLibStream(idat, CompressionMode.Decompress)) z.ReadExactly(raw);
        var pixels = Unfilter(raw, width, height, channels);
        var rgba = new byte[width * height * 4];
        for (int p = 0; p < width * height; p++)
        {
            int s = p * channels, d = p * 4;
            if (channels <= 2) { rgba[d] = rgba[d + 1] = rgba[d + 2] = pixels[s]; rgba[d + 3] = channels == 2 ? pixels[s + 1] : (byte)255; }
            else { rgba[d] = pixels[s]; rgba[d + 1] = pixels[s + 1]; rgba[d + 2] = pixels[s + 2]; rgba[d + 3] = channels == 4 ? pixels[s + 3] : (byte)255; }
        }
        return new PngImage(width, height, rgba);
    }

    /// <summary>Undoes the per-row filters (PNG specification, section 9): each row says how it predicts its bytes.</summary>
    private static byte[] Unfilter(byte[] raw, int width, int height, int bpp)
    {
        int stride = width * bpp;
        var outp = new byte[stride * height];
        for (int y = 0; y < height; y++)
        {
            byte filter = raw[y * (stride + 1)];
            var src = raw.AsSpan(y * (stride + 1) + 1, stride);
            var row = outp.AsSpan(y * stride, stride);
            var up = y > 0 ? outp.AsSpan((y - 1) * stride, stride) : default;
            for (int i = 0; i < stride; i++)
            {
                int a = i >= bpp ? row[i - bpp] : 0, b = y > 0 ? up[i] : 0, c = i >= bpp && y > 0 ? up[i - bpp] : 0;
                int predicted = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"PNG row {y} has unknown filter {filter}"),
                };
                row[i] = (byte)(src[i] + predicted);
            }
        }
        return outp;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
