using System.Buffers.Binary;
using System.IO.Compression;

namespace LlavaRad.Imaging.Png;

/// <summary>
/// Writes an 8-bit grayscale PNG (color type 0, no interlace; RFC 2083): signature, IHDR, one IDAT compressed with
/// zlib, IEND. Each row uses the Up filter, which suits smooth radiographs and is trivial to compute.
/// </summary>
public static class PngGrayEncoder
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static byte[] Encode(Gray8Image image, CompressionLevel level = CompressionLevel.Fastest)
    {
        using var output = new MemoryStream();
        output.Write(Signature);

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), image.Height);
        header[8] = 8; // bit depth
        header[9] = 0; // grayscale; compression, filter and interlace bytes stay 0
        WriteChunk(output, "IHDR"u8, header);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, level, leaveOpen: true))
        {
            var row = new byte[image.Width + 1];
            for (var y = 0; y < image.Height; y++)
            {
                var current = image.Pixels.AsSpan(y * image.Width, image.Width);
                row[0] = (byte)(y == 0 ? 0 : 2); // None for the first row, Up for the rest
                if (y == 0) current.CopyTo(row.AsSpan(1));
                else
                {
                    var previous = image.Pixels.AsSpan((y - 1) * image.Width, image.Width);
                    for (var x = 0; x < current.Length; x++) row[x + 1] = (byte)(current[x] - previous[x]);
                }
                zlib.Write(row);
            }
        }
        WriteChunk(output, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        output.Write(number);
        output.Write(type);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(number, PngCrc.Compute(type, data));
        output.Write(number);
    }
}
