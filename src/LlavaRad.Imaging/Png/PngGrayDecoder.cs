using System.Buffers.Binary;
using System.IO.Compression;

namespace LlavaRad.Imaging.Png;

/// <summary>
/// Reads the PNGs a DICOMweb server renders (/rendered) into 8-bit grayscale: 8- or 16-bit gray, gray+alpha, RGB or
/// RGBA (converted by Rec. 601 luma), no interlace, no palette. The declared size is checked against the pixel budget
/// before anything is allocated, and the image data is inflated one row at a time straight into the gray output, so a
/// decompression bomb costs its output (width x height bytes) and two rows, never the whole inflated stream.
/// </summary>
public static class PngGrayDecoder
{
    public const long DefaultMaxPixels = 8192L * 8192;
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static Gray8Image Decode(ReadOnlyMemory<byte> png, long maxPixels = DefaultMaxPixels)
    {
        var header = ReadHeader(png.Span, maxPixels, out var idat);
        var bytesPerPixel = header.Channels * header.BitDepth / 8;
        var stride = header.Width * bytesPerPixel;
        var pixels = new byte[(long)header.Width * header.Height];
        var previous = new byte[stride];
        var current = new byte[stride];
        using var zlib = new ZLibStream(new ChunkStream(png, idat), CompressionMode.Decompress);
        Span<byte> filter = stackalloc byte[1];
        for (var y = 0; y < header.Height; y++)
        {
            try
            {
                zlib.ReadExactly(filter);
                zlib.ReadExactly(current);
            }
            catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
            {
                throw Bad(DicomReadException.CorruptCompressedData, "PNG image data is short or corrupt");
            }
            Unfilter(filter[0], current, previous, bytesPerPixel);
            ToGray(current, pixels.AsSpan((int)((long)y * header.Width), header.Width), header.Channels, header.BitDepth / 8);
            (previous, current) = (current, previous);
        }
        return new Gray8Image(header.Width, header.Height, pixels);
    }

    private readonly record struct Header(int Width, int Height, int BitDepth, int Channels);

    /// <summary>Walks the chunks: IHDR checked at once (before any IDAT is looked at), IDAT positions collected.</summary>
    private static Header ReadHeader(ReadOnlySpan<byte> png, long maxPixels, out List<Range> idat)
    {
        if (png.Length < 8 || !png[..8].SequenceEqual(Signature)) throw Bad(DicomReadException.CorruptCompressedData, "not a PNG");
        Header? header = null;
        idat = [];
        var position = 8;
        while (position + 12 <= png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png[position..]);
            if (length < 0 || length > png.Length - position - 12) throw Bad(DicomReadException.CorruptCompressedData, "a PNG chunk runs past the end");
            var type = png.Slice(position + 4, 4);
            if (type.SequenceEqual("IHDR"u8)) header = CheckHeader(png.Slice(position + 8, length), maxPixels);
            else if (type.SequenceEqual("IDAT"u8)) idat.Add(new Range(position + 8, position + 8 + length));
            else if (type.SequenceEqual("IEND"u8)) break;
            position += 12 + length;
        }
        return header ?? throw Bad(DicomReadException.CorruptCompressedData, "the PNG has no IHDR chunk");
    }

    private static Header CheckHeader(ReadOnlySpan<byte> data, long maxPixels)
    {
        if (data.Length < 13) throw Bad(DicomReadException.CorruptCompressedData, "the PNG IHDR chunk is short");
        var width = BinaryPrimitives.ReadUInt32BigEndian(data);
        var height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        int bitDepth = data[8], colorType = data[9];
        // Both are below 2^31 by the PNG specification, so the product cannot overflow an unsigned 64-bit number.
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue || (ulong)width * height > (ulong)Math.Min(maxPixels, Array.MaxLength))
            throw Bad(DicomReadException.TooManyPixels, $"PNG size {width} x {height} is empty or above the budget of {maxPixels} pixels");
        if (data[12] != 0) throw Bad(DicomReadException.UnsupportedPixelFormat, "interlaced PNG (Adam7); send it non-interlaced");
        var channels = colorType switch
        {
            0 => 1, 4 => 2, 2 => 3, 6 => 4,
            3 => throw Bad(DicomReadException.UnsupportedPixelFormat, "palette PNG (color type 3); send gray or RGB"),
            _ => throw Bad(DicomReadException.UnsupportedPixelFormat, $"PNG color type {colorType}"),
        };
        if (bitDepth is not (8 or 16)) throw Bad(DicomReadException.UnsupportedPixelFormat, $"PNG bit depth {bitDepth}; 8 or 16 are read");
        if ((long)width * channels * bitDepth / 8 > Array.MaxLength) throw Bad(DicomReadException.TooManyPixels, $"PNG row of {width} pixels is too long");
        return new Header((int)width, (int)height, bitDepth, channels);
    }

    /// <summary>One row of samples to gray: the high byte of 16-bit samples, Rec. 601 luma for colour, alpha dropped.</summary>
    private static void ToGray(ReadOnlySpan<byte> row, Span<byte> gray, int channels, int sampleBytes)
    {
        var bytesPerPixel = channels * sampleBytes;
        for (var x = 0; x < gray.Length; x++)
        {
            var p = x * bytesPerPixel;
            gray[x] = channels >= 3
                ? (byte)Grayscale.Bt601.Luma(row[p], row[p + sampleBytes], row[p + 2 * sampleBytes])
                : row[p];
        }
    }

    private static void Unfilter(byte filter, byte[] row, byte[] above, int bpp)
    {
        if (filter == 0) return;
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
                _ => throw Bad(DicomReadException.CorruptCompressedData, $"PNG filter type {filter}"),
            };
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static DicomReadException Bad(string code, string message) => new(code, message);

    /// <summary>The IDAT chunks' data, read in place as one stream: no copy of the compressed data either.</summary>
    private sealed class ChunkStream(ReadOnlyMemory<byte> png, List<Range> chunks) : Stream
    {
        private int _chunk, _offset;

        public override int Read(Span<byte> buffer)
        {
            while (_chunk < chunks.Count)
            {
                var data = png.Span[chunks[_chunk]][_offset..];
                if (data.IsEmpty) { _chunk++; _offset = 0; continue; }
                var n = Math.Min(data.Length, buffer.Length);
                data[..n].CopyTo(buffer);
                _offset += n;
                return n;
            }
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
