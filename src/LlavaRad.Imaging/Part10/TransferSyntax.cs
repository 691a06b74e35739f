namespace LlavaRad.Imaging.Part10;

/// <summary>
/// How a dataset is encoded (PS3.5 section 10 and Annex A; the list is PS3.6 Table A-1). Every syntax is known by its
/// name and UID; an unknown or private one is refused with unsupported-transfer-syntax, since its encoding of the
/// dataset itself cannot be assumed.
/// </summary>
public sealed record TransferSyntax(string Uid, string Name, bool ExplicitVr, bool BigEndian, bool Deflated, bool Encapsulated)
{
    public const string ImplicitVrLittleEndianUid = "1.2.840.10008.1.2";
    public const string ExplicitVrLittleEndianUid = "1.2.840.10008.1.2.1";
    public const string DeflatedExplicitVrLittleEndianUid = "1.2.840.10008.1.2.1.99";
    public const string ExplicitVrBigEndianUid = "1.2.840.10008.1.2.2";
    public const string RleLosslessUid = "1.2.840.10008.1.2.5";
    public const string JpegBaselineUid = "1.2.840.10008.1.2.4.50";
    public const string JpegExtendedUid = "1.2.840.10008.1.2.4.51";

    public static readonly TransferSyntax ImplicitVrLittleEndian = new(ImplicitVrLittleEndianUid, "Implicit VR Little Endian", false, false, false, false);
    public static readonly TransferSyntax ExplicitVrLittleEndian = new(ExplicitVrLittleEndianUid, "Explicit VR Little Endian", true, false, false, false);
    public static readonly TransferSyntax DeflatedExplicitVrLittleEndian = new(DeflatedExplicitVrLittleEndianUid, "Deflated Explicit VR Little Endian", true, false, true, false);
    public static readonly TransferSyntax ExplicitVrBigEndian = new(ExplicitVrBigEndianUid, "Explicit VR Big Endian", true, true, false, false);
    public static readonly TransferSyntax RleLossless = new(RleLosslessUid, "RLE Lossless", true, false, false, true);

    private static readonly Dictionary<string, TransferSyntax> Known = new[]
    {
        ImplicitVrLittleEndian, ExplicitVrLittleEndian, DeflatedExplicitVrLittleEndian, ExplicitVrBigEndian, RleLossless,
        Compressed("1.2.840.10008.1.2.1.98", "Encapsulated Uncompressed Explicit VR Little Endian"),
        Compressed(JpegBaselineUid, "JPEG Baseline (Process 1)"),
        Compressed(JpegExtendedUid, "JPEG Extended (Process 2 & 4)"),
        Compressed("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)"),
        Compressed("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])"),
        Compressed("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression"),
        Compressed("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression"),
        Compressed("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)"),
        Compressed("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression"),
        Compressed("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)"),
        Compressed("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component Image Compression"),
        Compressed("1.2.840.10008.1.2.4.94", "JPIP Referenced"),
        Compressed("1.2.840.10008.1.2.4.95", "JPIP Referenced Deflate"),
        Compressed("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level"),
        Compressed("1.2.840.10008.1.2.4.100.1", "Fragmentable MPEG2 Main Profile / Main Level"),
        Compressed("1.2.840.10008.1.2.4.101", "MPEG2 Main Profile / High Level"),
        Compressed("1.2.840.10008.1.2.4.101.1", "Fragmentable MPEG2 Main Profile / High Level"),
        Compressed("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1"),
        Compressed("1.2.840.10008.1.2.4.102.1", "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.1"),
        Compressed("1.2.840.10008.1.2.4.103", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1"),
        Compressed("1.2.840.10008.1.2.4.103.1", "Fragmentable MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1"),
        Compressed("1.2.840.10008.1.2.4.104", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video"),
        Compressed("1.2.840.10008.1.2.4.104.1", "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video"),
        Compressed("1.2.840.10008.1.2.4.105", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video"),
        Compressed("1.2.840.10008.1.2.4.105.1", "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video"),
        Compressed("1.2.840.10008.1.2.4.106", "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2"),
        Compressed("1.2.840.10008.1.2.4.106.1", "Fragmentable MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2"),
        Compressed("1.2.840.10008.1.2.4.107", "HEVC/H.265 Main Profile / Level 5.1"),
        Compressed("1.2.840.10008.1.2.4.108", "HEVC/H.265 Main 10 Profile / Level 5.1"),
        Compressed("1.2.840.10008.1.2.4.110", "JPEG XL Lossless"),
        Compressed("1.2.840.10008.1.2.4.111", "JPEG XL JPEG Recompression"),
        Compressed("1.2.840.10008.1.2.4.112", "JPEG XL"),
        Compressed("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)"),
        Compressed("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)"),
        Compressed("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression"),
        Compressed("1.2.840.10008.1.2.4.204", "JPIP HTJ2K Referenced"),
        Compressed("1.2.840.10008.1.2.4.205", "JPIP HTJ2K Referenced Deflate"),
    }.ToDictionary(s => s.Uid);

    /// <summary>Syntaxes that exist but whose datasets we do not read: named in the refusal.</summary>
    private static readonly Dictionary<string, string> Unreadable = new()
    {
        ["1.2.840.113619.5.2"] = "GE Private Implicit VR Little Endian (big endian pixel data)",
        ["1.2.840.10008.1.20"] = "Papyrus 3 Implicit VR Little Endian (retired)",
        ["1.2.840.10008.1.2.6.1"] = "RFC 2557 MIME Encapsulation (retired)",
        ["1.2.840.10008.1.2.6.2"] = "XML Encoding (retired)",
        ["1.2.840.10008.1.2.7.1"] = "SMPTE ST 2110-20 Uncompressed Progressive Active Video",
        ["1.2.840.10008.1.2.7.2"] = "SMPTE ST 2110-20 Uncompressed Interlaced Active Video",
        ["1.2.840.10008.1.2.7.3"] = "SMPTE ST 2110-30 PCM Digital Audio",
    };

    public static TransferSyntax FromUid(string uid)
    {
        if (Known.TryGetValue(uid, out var syntax)) return syntax;
        // The retired JPEG processes (.52 to .66) are still explicit VR little endian with encapsulated pixels.
        if (uid.StartsWith("1.2.840.10008.1.2.4.", StringComparison.Ordinal) && int.TryParse(uid[20..], out var process) && process is >= 52 and <= 66)
            return Compressed(uid, $"JPEG (retired process, .{process})");
        var name = Unreadable.GetValueOrDefault(uid, "unknown or private");
        throw new DicomReadException(DicomReadException.UnsupportedTransferSyntax, $"transfer syntax {uid} ({name}) is not supported");
    }

    /// <summary>"JPEG 2000 Image Compression (1.2.840.10008.1.2.4.91)": how every message names a syntax.</summary>
    public string Describe() => $"{Name} ({Uid})";

    private static TransferSyntax Compressed(string uid, string name) => new(uid, name, true, false, false, true);
}
