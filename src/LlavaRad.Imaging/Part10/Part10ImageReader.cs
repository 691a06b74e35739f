namespace LlavaRad.Imaging.Part10;

/// <summary>The project's own <see cref="IDicomImageReader"/>: native pixels, RLE Lossless and 8-bit JPEG baseline;
/// other compression is refused with compressed-transfer-syntax-unsupported.</summary>
public sealed class Part10ImageReader(DicomReadLimits? limits = null) : IDicomImageReader
{
    private readonly DicomReadLimits _limits = limits ?? DicomReadLimits.Default;

    public DicomImageSource Read(ReadOnlyMemory<byte> part10File)
    {
        var file = Part10Reader.Read(part10File, _limits);
        return new DicomImageSource(file.Dataset, file.TransferSyntax.Uid, () => DecodeFirstFrame(file));
    }

    private StoredPixelFrame DecodeFirstFrame(DicomFile file)
    {
        if (!file.TransferSyntax.PixelsDecodableLocally)
            throw new DicomReadException(DicomReadException.CompressedTransferSyntaxUnsupported,
                $"pixel data in {file.TransferSyntax.Uid} cannot be decoded here; ask the server to transcode");
        var format = PixelFormat.From(file.Dataset, _limits);
        var pixelData = file.Dataset[DicomTag.PixelData]
            ?? throw new DicomReadException(DicomReadException.NoPixelData, "the dataset has no Pixel Data (7FE0,0010)");
        if (pixelData.Fragments is { } fragments)
        {
            if (!file.TransferSyntax.Encapsulated)
                throw new DicomReadException(DicomReadException.CorruptCompressedData, "encapsulated pixel data in a native transfer syntax");
            return file.TransferSyntax.Uid == TransferSyntax.JpegBaselineUid
                ? JpegBaselineDecoder.DecodeFirstFrame(fragments, format)
                : RleDecoder.DecodeFirstFrame(fragments, format);
        }
        if (file.TransferSyntax.Encapsulated)
            throw new DicomReadException(DicomReadException.CorruptCompressedData, "a compressed transfer syntax with native (unencapsulated) pixel data");
        return NativePixelDecoder.DecodeFirstFrame(pixelData.Value.Span, format, file.TransferSyntax.BigEndian);
    }
}
