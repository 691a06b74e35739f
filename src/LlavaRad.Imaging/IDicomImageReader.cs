namespace LlavaRad.Imaging;

/// <summary>
/// Reads a DICOM Part 10 file into attributes and, on request, its first frame of stored pixel values. The project's
/// own reader implements it (<see cref="Part10.Part10ImageReader"/>); fo-dicom could, where it is available.
/// Failures throw <see cref="DicomReadException"/> with a coded reason.
/// </summary>
public interface IDicomImageReader
{
    DicomImageSource Read(ReadOnlyMemory<byte> part10File);
}

/// <summary>A read file: its attributes now, its pixels when asked (so `inspect` works on undecodable files).</summary>
public sealed class DicomImageSource(IDicomAttributes attributes, string transferSyntaxUid, Func<StoredPixelFrame> decodeFirstFrame)
{
    public IDicomAttributes Attributes { get; } = attributes;
    public string TransferSyntaxUid { get; } = transferSyntaxUid;

    /// <summary>The first frame (multi-frame images give frame 1 only); throws DicomReadException.</summary>
    public StoredPixelFrame DecodeFirstFrame() => decodeFirstFrame();
}
