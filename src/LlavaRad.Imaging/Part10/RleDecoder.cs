using System.Buffers.Binary;
using LlavaRad.Imaging.Part10.Codecs;

namespace LlavaRad.Imaging.Part10;

/// <summary>
/// RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, then one PackBits segment per byte plane,
/// most significant plane first, sample by sample for colour. Output never grows past the frame size, so a hostile stream cannot balloon.
/// </summary>
internal static class RleDecoder
{
    private const int HeaderLength = 64;

    public static StoredPixelFrame DecodeFirstFrame(IReadOnlyList<ReadOnlyMemory<byte>> fragments, PixelFormat format)
    {
        var frame = EncapsulatedFrames.First(fragments, format.Frames);
        var span = frame.Span;
        var bytesPerSample = format.BitsAllocated / 8;
        var planes = bytesPerSample * format.SamplesPerPixel; // per sample, most significant byte first
        if (span.Length < HeaderLength)
            throw Corrupt("the RLE header is cut short");
        var segmentCount = BinaryPrimitives.ReadUInt32LittleEndian(span);
        if (segmentCount != planes)
            throw Corrupt($"the RLE header names {segmentCount} segments, {planes} expected");

        var bytesPerPlane = format.PixelCount;
        var plane = new byte[planes][];
        for (var s = 0; s < planes; s++)
        {
            var start = BinaryPrimitives.ReadUInt32LittleEndian(span[(4 + 4 * s)..]);
            var end = s + 1 < planes ? BinaryPrimitives.ReadUInt32LittleEndian(span[(8 + 4 * s)..]) : (uint)span.Length;
            if (start < HeaderLength || end > span.Length || start > end)
                throw Corrupt("an RLE segment offset points outside the fragment");
            plane[s] = new byte[bytesPerPlane];
            var written = UnpackBits(span[(int)start..(int)end], plane[s]);
            if (written < bytesPerPlane) throw Corrupt($"an RLE segment decodes to {written} bytes, {bytesPerPlane} expected");
        }

        int Word(int sample, int i) => bytesPerSample == 1 ? plane[sample][i] : plane[2 * sample][i] << 8 | plane[2 * sample + 1][i];
        if (!format.IsColour)
        {
            var words = GC.AllocateUninitializedArray<ushort>(format.PixelCount);
            for (var i = 0; i < words.Length; i++) words[i] = (ushort)format.Unpack(Word(0, i));
            return new StoredPixelFrame(format.Columns, format.Rows, words, format.BitsStored, format.Signed);
        }
        var shift = format.HighBit + 1 - format.BitsStored;
        var samples = new int[3 * bytesPerPlane];
        for (var c = 0; c < 3; c++)
        for (var i = 0; i < bytesPerPlane; i++)
            samples[c * bytesPerPlane + i] = Word(c, i) >> shift;
        return FrameAssembly.ToStoredFrame(new DecodedSamples(format.Columns, format.Rows, 3, format.BitsStored, samples), format);
    }

    /// <summary>PackBits: n in 0..127 copies n+1 bytes, n in -127..-1 repeats the next byte 1-n times, -128 is a no-op.</summary>
    private static int UnpackBits(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int read = 0, written = 0;
        while (read < input.Length && written < output.Length)
        {
            var n = (sbyte)input[read++];
            if (n >= 0)
            {
                var count = Math.Min(n + 1, Math.Min(input.Length - read, output.Length - written));
                input.Slice(read, count).CopyTo(output[written..]);
                read += n + 1;
                written += count;
            }
            else if (n != -128)
            {
                if (read >= input.Length) break;
                var count = Math.Min(1 - n, output.Length - written);
                output.Slice(written, count).Fill(input[read++]);
                written += count;
            }
        }
        return written;
    }

    private static DicomReadException Corrupt(string message) => new(DicomReadException.CorruptCompressedData, message);
}
