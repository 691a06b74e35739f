using System.Buffers.Binary;
using System.IO.Compression;

namespace LlavaRad.Imaging.Png;

/// <summary>
/// Reads the PNGs a DICOMweb server renders (/rendered) into 8-bit grayscale: 8- or 16-bit gray, gray+alpha, RGB or
/// RGBA (converted by Rec. 601 luma), no interlace. Sizes are capped like DICOM pixels; anything else is a coded error.
/// </summary>
public static class PngGrayDecoder
{
    public static Gray8Image Decode(ReadOnlySpan<byte> png, long maxPixels = 8192L * 8192)
    {
        if (png.Length < 8 || png[0] != 0x89 || png[1] != 'P' || png[2] != 'N' || png[3] != 'G')
            throw Bad("not a PNG");
        int width = 0, height = 0, bitDepth = 0, colorType = -1;
        using var idat = new MemoryStream();
        var position = 8;
        while (position + 12 <= png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png[position..]);
            if (length < 0 || length > png.Length - position - 12) throw Bad("a PNG chunk runs past the end");
            var type = png.Slice(position + 4, 4);
            var data = png.Slice(position + 8, length);
            if (type.SequenceEqual("IHDR"u8))
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                bitDepth = data[8];
                colorType = data[9];
                if (data[12] != 0) throw Bad("interlaced PNG");
                if (width <= 0 || height <= 0 || (long)width * height > maxPixels) throw Bad($"PNG size {width} x {height}");
            }
            else if (type.SequenceEqual("IDAT"u8)) idat.Write(data);
            else if (type.SequenceEqual("IEND"u8)) break;
            position += 12 + length;
        }
        var channels = colorType switch { 0 => 1, 4 => 2, 2 => 3, 6 => 4, _ => throw Bad($"PNG color type {colorType}") };
        if (bitDepth is not (8 or 16)) throw Bad($"PNG bit depth {bitDepth}");
        var bytesPerPixel = channels * bitDepth / 8;
        var stride = width * bytesPerPixel;

        var raw = new byte[(long)(stride + 1) * height];
        idat.Position = 0;
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
        {
            try { zlib.ReadExactly(raw); }
            catch (Exception e) when (e is EndOfStreamException or InvalidDataException) { throw Bad("PNG image data is short or corrupt"); }
        }

        var pixels = new byte[width * height];
        var previous = new byte[stride];
        var current = new byte[stride];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[(long)y * (stride + 1)];
            raw.AsSpan((int)((long)y * (stride + 1) + 1), stride).CopyTo(current);
            Unfilter(filter, current, previous, bytesPerPixel);
            for (var x = 0; x < width; x++)
            {
                var p = x * bytesPerPixel;
                var step = bitDepth / 8; // for 16-bit samples take the high byte
                pixels[y * width + x] = channels >= 3
                    ? (byte)Grayscale.Bt601.Luma(current[p], current[p + step], current[p + 2 * step])
                    : current[p];
            }
            (previous, current) = (current, previous);
        }
        return new Gray8Image(width, height, pixels);
    }

    private static void Unfilter(byte filter, byte[] row, byte[] above, int bpp)
    {
        for (var i = 0; i < row.Length; i++)
        {
            int left = i >= bpp ? row[i - bpp] : 0, up = above[i], upLeft = i >= bpp ? above[i - bpp] : 0;
            row[i] = filter switch
            {
                0 => row[i],
                1 => (byte)(row[i] + left),
                2 => (byte)(row[i] + up),
                3 => (byte)(row[i] + (left + up) / 2),
                4 => (byte)(row[i] + Paeth(left, up, upLeft)),
                _ => throw Bad($"PNG filter type {filter}"),
            };
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static DicomReadException Bad(string message) => new(DicomReadException.CorruptCompressedData, message);
}
