using SkiaSharp;

namespace LlavaRad.Imaging.Part10;

/// <summary>
/// JPEG Baseline (Process 1, 1.2.840.10008.1.2.4.50) monochrome 8-bit pixel data, decoded by Skia (libjpeg-turbo).
/// The size in the JPEG header is checked against Rows/Columns and the pixel cap before any pixel is decoded.
/// Other JPEG processes (12-bit extended, lossless), JPEG-LS and JPEG 2000 stay with the server (transcoding).
/// </summary>
internal static class JpegBaselineDecoder
{
    public static StoredPixelFrame DecodeFirstFrame(IReadOnlyList<ReadOnlyMemory<byte>> fragments, PixelFormat format)
    {
        if (format.BitsAllocated != 8)
            throw new DicomReadException(DicomReadException.CompressedTransferSyntaxUnsupported, "JPEG baseline with more than 8 bits allocated");
        var jpeg = EncapsulatedFrames.First(fragments, format.Frames);
        using var data = SKData.CreateCopy(jpeg.Span);
        using var codec = SKCodec.Create(data)
            ?? throw new DicomReadException(DicomReadException.CorruptCompressedData, "the JPEG stream cannot be read");
        if (codec.Info.Width != format.Columns || codec.Info.Height != format.Rows)
            throw new DicomReadException(DicomReadException.CorruptCompressedData,
                $"the JPEG is {codec.Info.Width} x {codec.Info.Height}, the dataset says {format.Columns} x {format.Rows}");
        var info = new SKImageInfo(format.Columns, format.Rows, SKColorType.Gray8, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
            throw new DicomReadException(DicomReadException.CorruptCompressedData, $"the JPEG stream did not decode ({result})");
        var bytes = bitmap.GetPixelSpan();
        var values = new int[format.PixelCount];
        for (var y = 0; y < format.Rows; y++)
        for (var x = 0; x < format.Columns; x++)
            values[y * format.Columns + x] = format.Unpack(bytes[y * bitmap.RowBytes + x]);
        return new StoredPixelFrame(format.Columns, format.Rows, values, format.BitsStored, format.Signed);
    }
}
