using LlavaRad.Imaging.Grayscale;
using SkiaSharp;

namespace LlavaRad.Imaging.Part10;

/// <summary>
/// JPEG Baseline (Process 1, 1.2.840.10008.1.2.4.50) and 8-bit JPEG Extended (Process 2, .51) pixel data, decoded by Skia (libjpeg-turbo); colour
/// (YBR_FULL_422 in practice) to RGB and then BT.601 luma.
/// The size in the JPEG header is checked against Rows/Columns and the pixel cap before any pixel is decoded.
/// </summary>
internal static class JpegBaselineDecoder
{
    public static StoredPixelFrame DecodeFirstFrame(IReadOnlyList<ReadOnlyMemory<byte>> fragments, PixelFormat format)
    {
        if (format.BitsAllocated != 8)
            throw new DicomReadException(DicomReadException.CompressedTransferSyntaxUnsupported, "8-bit JPEG with more than 8 bits allocated");
        var jpeg = EncapsulatedFrames.First(fragments, format.Frames, endsWithMarker: true);
        using var data = SKData.CreateCopy(jpeg.Span);
        using var codec = SKCodec.Create(data)
            ?? throw new DicomReadException(DicomReadException.CorruptCompressedData, "the JPEG stream cannot be read");
        if (codec.Info.Width != format.Columns || codec.Info.Height != format.Rows)
            throw new DicomReadException(DicomReadException.CorruptCompressedData,
                $"the JPEG is {codec.Info.Width} x {codec.Info.Height}, the dataset says {format.Columns} x {format.Rows}");
        // Colour comes out as RGB (libjpeg-turbo undoes YCbCr, or leaves an RGB JPEG alone), then BT.601 luma.
        var colour = format.IsColour;
        var info = new SKImageInfo(format.Columns, format.Rows, colour ? SKColorType.Rgba8888 : SKColorType.Gray8, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
            throw new DicomReadException(DicomReadException.CorruptCompressedData, $"the JPEG stream did not decode ({result})");
        var bytes = bitmap.GetPixelSpan();
        var words = GC.AllocateUninitializedArray<ushort>(format.PixelCount);
        for (var y = 0; y < format.Rows; y++)
        for (var x = 0; x < format.Columns; x++)
        {
            var p = y * bitmap.RowBytes + x * (colour ? 4 : 1);
            words[y * format.Columns + x] = (ushort)(colour ? Bt601.Luma(bytes[p], bytes[p + 1], bytes[p + 2]) : format.Unpack(bytes[p]));
        }
        return new StoredPixelFrame(format.Columns, format.Rows, words, format.BitsStored, format.Signed && !colour, FromColour: colour);
    }
}
