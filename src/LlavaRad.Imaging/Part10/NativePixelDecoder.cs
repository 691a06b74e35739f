namespace LlavaRad.Imaging.Part10;

/// <summary>Native (uncompressed) pixel data: the first frame, 8 or 16 bits allocated, either byte order.</summary>
internal static class NativePixelDecoder
{
    public static StoredPixelFrame DecodeFirstFrame(ReadOnlySpan<byte> pixelData, PixelFormat format, bool bigEndian)
    {
        if (pixelData.Length < format.BytesPerFrame)
            throw new DicomReadException(DicomReadException.PixelDataTooShort,
                $"pixel data has {pixelData.Length} bytes, the first frame needs {format.BytesPerFrame}");
        var values = new int[format.PixelCount];
        if (format.BitsAllocated == 8)
        {
            for (var i = 0; i < values.Length; i++) values[i] = format.Unpack(pixelData[i]);
        }
        else if (bigEndian)
        {
            for (var i = 0; i < values.Length; i++) values[i] = format.Unpack(pixelData[2 * i] << 8 | pixelData[2 * i + 1]);
        }
        else
        {
            for (var i = 0; i < values.Length; i++) values[i] = format.Unpack(pixelData[2 * i] | pixelData[2 * i + 1] << 8);
        }
        return new StoredPixelFrame(format.Columns, format.Rows, values, format.BitsStored, format.Signed);
    }
}
