namespace LlavaRad.Imaging;

/// <summary>
/// A file or image that cannot be read, with a coded reason an operator can act on. Messages name tags and sizes,
/// never attribute values: those may be patient names or IDs.
/// </summary>
public sealed class DicomReadException(string code, string message) : Exception(message)
{
    public const string NotPart10 = "not-dicom-part10";
    public const string Truncated = "truncated";
    public const string InvalidLength = "invalid-length";
    public const string OddLength = "odd-length";
    public const string InvalidVr = "invalid-vr";
    public const string SequenceTooDeep = "sequence-too-deep";
    public const string TooManyElements = "too-many-elements";
    public const string InvalidUid = "invalid-uid";
    public const string UnsupportedTransferSyntax = "unsupported-transfer-syntax";
    public const string CompressedTransferSyntaxUnsupported = "compressed-transfer-syntax-unsupported";
    public const string DecompressionTooLarge = "decompression-too-large";
    public const string NoPixelData = "no-pixel-data";
    public const string MissingAttribute = "missing-attribute";
    public const string UnsupportedPhotometric = "unsupported-photometric-interpretation";
    public const string UnsupportedPixelFormat = "unsupported-pixel-format";
    public const string TooManyPixels = "too-many-pixels";
    public const string PixelDataTooShort = "pixel-data-too-short";
    public const string CorruptCompressedData = "corrupt-compressed-data";
    public const string CodecUnavailable = "codec-unavailable";

    public string Code { get; } = code;
}
