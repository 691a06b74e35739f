namespace LlavaRad.Imaging.Part10;

/// <summary>How a dataset is encoded (PS3.5 section 10 and Annex A), and whether we can decode its pixels here.</summary>
public sealed record TransferSyntax(string Uid, string Name, bool ExplicitVr, bool BigEndian, bool Deflated, bool Encapsulated)
{
    public const string ImplicitVrLittleEndianUid = "1.2.840.10008.1.2";
    public const string ExplicitVrLittleEndianUid = "1.2.840.10008.1.2.1";
    public const string DeflatedExplicitVrLittleEndianUid = "1.2.840.10008.1.2.1.99";
    public const string ExplicitVrBigEndianUid = "1.2.840.10008.1.2.2";
    public const string RleLosslessUid = "1.2.840.10008.1.2.5";

    public static readonly TransferSyntax ImplicitVrLittleEndian = new(ImplicitVrLittleEndianUid, "Implicit VR Little Endian", false, false, false, false);
    public static readonly TransferSyntax ExplicitVrLittleEndian = new(ExplicitVrLittleEndianUid, "Explicit VR Little Endian", true, false, false, false);
    public static readonly TransferSyntax DeflatedExplicitVrLittleEndian = new(DeflatedExplicitVrLittleEndianUid, "Deflated Explicit VR Little Endian", true, false, true, false);
    public static readonly TransferSyntax ExplicitVrBigEndian = new(ExplicitVrBigEndianUid, "Explicit VR Big Endian", true, true, false, false);
    public static readonly TransferSyntax RleLossless = new(RleLosslessUid, "RLE Lossless", true, false, false, true);

    /// <summary>Every other syntax of the standard is explicit VR little endian with encapsulated (compressed) pixels.</summary>
    public static TransferSyntax FromUid(string uid) => uid switch
    {
        ImplicitVrLittleEndianUid => ImplicitVrLittleEndian,
        ExplicitVrLittleEndianUid => ExplicitVrLittleEndian,
        DeflatedExplicitVrLittleEndianUid => DeflatedExplicitVrLittleEndian,
        ExplicitVrBigEndianUid => ExplicitVrBigEndian,
        RleLosslessUid => RleLossless,
        _ => new TransferSyntax(uid, "encapsulated " + uid, true, false, false, true),
    };

    public const string JpegBaselineUid = "1.2.840.10008.1.2.4.50";

    /// <summary>Pixels we decode ourselves: native encodings, RLE Lossless and 8-bit JPEG baseline.</summary>
    public bool PixelsDecodableLocally => !Encapsulated || Uid is RleLosslessUid or JpegBaselineUid;
}
