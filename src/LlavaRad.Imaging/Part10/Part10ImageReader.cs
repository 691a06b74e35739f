using LlavaRad.Imaging.Part10.Codecs;

namespace LlavaRad.Imaging.Part10;

/// <summary>
/// The project's own <see cref="IDicomImageReader"/>: native pixels, RLE Lossless, JPEG baseline (Skia), JPEG extended
/// and lossless (JpegLibrary), JPEG-LS (CharLS) and JPEG 2000 / HTJ2K (OpenJPEG). Other compressed syntaxes (video,
/// JPEG XL, JPIP) are refused with compressed-transfer-syntax-unsupported, naming the syntax.
/// </summary>
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
        var syntax = file.TransferSyntax;
        var pixelData = file.Dataset[DicomTag.PixelData]
            ?? throw new DicomReadException(DicomReadException.NoPixelData, "the dataset has no Pixel Data (7FE0,0010)");
        var format = PixelFormat.From(file.Dataset, _limits);
        if (pixelData.Fragments is not { } fragments)
        {
            if (syntax.Encapsulated)
                throw new DicomReadException(DicomReadException.CorruptCompressedData, $"{syntax.Describe()} with native (unencapsulated) pixel data");
            return NativePixelDecoder.DecodeFirstFrame(pixelData.Value.Span, format, syntax.BigEndian);
        }
        if (!syntax.Encapsulated)
            throw new DicomReadException(DicomReadException.CorruptCompressedData, $"encapsulated pixel data in {syntax.Describe()}");
        if (syntax.Uid == TransferSyntax.RleLosslessUid) return RleDecoder.DecodeFirstFrame(fragments, format);
        // 8-bit extended (process 2) is what libjpeg-turbo decodes too, with the same integer IDCT as dcmtk's IJG.
        if (syntax.Uid == TransferSyntax.JpegBaselineUid || (syntax.Uid == TransferSyntax.JpegExtendedUid && format.BitsAllocated == 8))
            return JpegBaselineDecoder.DecodeFirstFrame(fragments, format);

        var codec = FrameCodecs.For(syntax.Uid)
            ?? throw new DicomReadException(DicomReadException.CompressedTransferSyntaxUnsupported,
                $"pixel data in {syntax.Describe()} cannot be decoded here; ask the server to transcode");
        var extendedOffsets = file.Dataset[DicomTag.ExtendedOffsetTable]?.Value ?? default;
        var frame = EncapsulatedFrames.First(fragments, format.Frames, extendedOffsets, endsWithMarker: true);
        return codec.Decode(frame, format, _limits);
    }
}
