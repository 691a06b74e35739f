using LlavaRad.Imaging.Part10.Codecs;

namespace LlavaRad.Imaging.Part10;

/// <summary>Native (uncompressed) pixel data: the first frame, 8 or 16 bits allocated, either byte order; colour
/// pixel-interleaved or planar, YBR_FULL_422 as its Y samples.</summary>
internal static class NativePixelDecoder
{
    public static StoredPixelFrame DecodeFirstFrame(ReadOnlySpan<byte> pixelData, PixelFormat format, bool bigEndian)
    {
        if (pixelData.Length < format.BytesPerFrame)
            throw new DicomReadException(DicomReadException.PixelDataTooShort,
                $"pixel data has {pixelData.Length} bytes, the first frame needs {format.BytesPerFrame}");
        if (format.IsColour) return FrameAssembly.ToStoredFrame(Colour(pixelData, format, bigEndian), format);
        var words = GC.AllocateUninitializedArray<ushort>(format.PixelCount);
        for (var i = 0; i < words.Length; i++) words[i] = (ushort)format.Unpack(Word(pixelData, i, format.BitsAllocated, bigEndian));
        return new StoredPixelFrame(format.Columns, format.Rows, words, format.BitsStored, format.Signed);
    }

    private static DecodedSamples Colour(ReadOnlySpan<byte> pixelData, PixelFormat format, bool bigEndian)
    {
        var pixels = format.PixelCount;
        var shift = format.HighBit + 1 - format.BitsStored;
        if (format.Photometric == "YBR_FULL_422")
        {
            // Y0 Y1 Cb Cr for each pair of pixels: only the Y samples are needed.
            var y = new int[pixels];
            for (var i = 0; i < pixels; i++) y[i] = Word(pixelData, i / 2 * 4 + i % 2, format.BitsAllocated, bigEndian) >> shift;
            return new DecodedSamples(format.Columns, format.Rows, 1, format.BitsStored, y);
        }
        var samples = new int[pixels * 3];
        for (var c = 0; c < 3; c++)
        for (var i = 0; i < pixels; i++)
            samples[c * pixels + i] = Word(pixelData, format.Planar ? c * pixels + i : 3 * i + c, format.BitsAllocated, bigEndian) >> shift;
        return new DecodedSamples(format.Columns, format.Rows, 3, format.BitsStored, samples);
    }

    private static int Word(ReadOnlySpan<byte> data, int index, int bitsAllocated, bool bigEndian) => bitsAllocated == 8
        ? data[index]
        : bigEndian ? data[2 * index] << 8 | data[2 * index + 1] : data[2 * index] | data[2 * index + 1] << 8;
}
