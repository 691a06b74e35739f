using System.Buffers.Binary;
using System.Text;
using LlavaRad.Imaging.Part10;

namespace LlavaRad.Imaging.Tests;

/// <summary>Broken and hostile files end in a coded <see cref="DicomReadException"/>, never a crash, hang or huge allocation.</summary>
public class HostileFileTests
{
    private static readonly byte[] Sample = File.ReadAllBytes(Path.Combine(ExternalTool.RepoRoot(),
        "sample-studies", "studies", "pa-chest-dx-8bit-no-window", "series01-pa.dcm"));

    private static string CodeOf(byte[] file) =>
        Assert.Throws<DicomReadException>(() => new Part10ImageReader().Read(file).DecodeFirstFrame()).Code;

    [Fact]
    public void NotDicomAtAll() => Assert.Equal(DicomReadException.NotPart10, CodeOf(Encoding.ASCII.GetBytes("<html>hello</html>")));

    [Theory]
    [InlineData(140)]
    [InlineData(600)]
    [InlineData(5000)]
    public void TruncatedAnywhereIsTruncatedOrTooShort(int keep) =>
        Assert.Contains(CodeOf(Sample[..keep]), new[] { DicomReadException.Truncated, DicomReadException.PixelDataTooShort, DicomReadException.NoPixelData });

    [Fact]
    public void PixelDataCutShortIsPixelDataTooShortOrTruncated() =>
        Assert.Contains(CodeOf(Sample[..^1000]), new[] { DicomReadException.Truncated, DicomReadException.PixelDataTooShort });

    [Fact]
    public void LengthPastTheEndIsTruncated()
    {
        var file = Part10(Element(0x00100010, "PN", "Doe^J"u8.ToArray(), lengthOverride: 0x7FFFFFF0));
        Assert.Equal(DicomReadException.Truncated, CodeOf(file));
    }

    [Fact]
    public void OddLengthIsRefused() =>
        Assert.Equal(DicomReadException.OddLength, CodeOf(Part10(Element(0x00100010, "PN", "Doe"u8.ToArray()))));

    [Fact]
    public void AbsurdRowsTimesColumnsIsRefusedBeforeAllocating()
    {
        var file = Part10(
            Element(0x00280004, "CS", "MONOCHROME2 "u8.ToArray()),
            Element(0x00280010, "US", U16(60000)), Element(0x00280011, "US", U16(60000)),
            Element(0x00280100, "US", U16(16)), Element(0x00280101, "US", U16(16)),
            Element(DicomTag.PixelData, "OW", new byte[16]));
        Assert.Equal(DicomReadException.TooManyPixels, CodeOf(file));
    }

    [Fact]
    public void EndlesslyNestedSequencesStopAtTheDepthCap()
    {
        // 10,000 nested undefined-length sequences, each holding one undefined-length item.
        var open = new List<byte>();
        for (var i = 0; i < 10_000; i++)
        {
            open.AddRange(Header(0x00082218, "SQ", 0xFFFFFFFF));
            open.AddRange(ItemHeader(0xFFFEE000, 0xFFFFFFFF));
        }
        Assert.Equal(DicomReadException.SequenceTooDeep, CodeOf(Part10([.. open])));
    }

    [Fact]
    public void SequenceWithoutItsDelimiterIsTruncated()
    {
        byte[] body = [.. Header(0x00082218, "SQ", 0xFFFFFFFF), .. ItemHeader(0xFFFEE000, 0xFFFFFFFF), .. Element(0x00080100, "SH", "AB"u8.ToArray())];
        Assert.Equal(DicomReadException.Truncated, CodeOf(Part10(body)));
    }

    [Fact]
    public void BadSopInstanceUidIsInvalidUid() =>
        Assert.Equal(DicomReadException.InvalidUid, CodeOf(Part10(Element(DicomTag.SopInstanceUid, "UI", "1.02.abc"u8.ToArray()))));

    [Fact]
    public void BadTransferSyntaxUidIsInvalidUid() =>
        Assert.Equal(DicomReadException.InvalidUid, CodeOf(Part10([], transferSyntax: "1.2.840.10008.1.2.1.x")));

    private static byte[] FourByteFrame(string transferSyntax) => Part10([.. Element(0x00280004, "CS", "MONOCHROME2 "u8.ToArray()),
        .. Element(DicomTag.Rows, "US", [8, 0]), .. Element(DicomTag.Columns, "US", [8, 0]), .. Element(DicomTag.BitsAllocated, "US", [8, 0]),
        .. Header(DicomTag.PixelData, "OB", 0xFFFFFFFF), .. ItemHeader(0xFFFEE000, 0), .. ItemHeader(0xFFFEE000, 4), 0xFF, 0xD8, 0xFF, 0xD9,
        .. ItemHeader(0xFFFEE0DD, 0)], transferSyntax: transferSyntax);

    [Theory]
    [InlineData("1.2.840.10008.1.2.4.51")]
    [InlineData("1.2.840.10008.1.2.4.70")]
    [InlineData("1.2.840.10008.1.2.4.80")]
    [InlineData("1.2.840.10008.1.2.4.90")]
    [InlineData("1.2.840.10008.1.2.4.203")]
    public void AFrameThatIsNoCodestreamIsCorrupt(string transferSyntax) =>
        Assert.Equal(DicomReadException.CorruptCompressedData, CodeOf(FourByteFrame(transferSyntax)));

    [Fact]
    public void VideoIsRefusedByNameAndUid()
    {
        var error = Assert.Throws<DicomReadException>(() => new Part10ImageReader().Read(FourByteFrame("1.2.840.10008.1.2.4.102")).DecodeFirstFrame());
        Assert.Equal(DicomReadException.CompressedTransferSyntaxUnsupported, error.Code);
        Assert.Contains("MPEG-4 AVC/H.264 High Profile / Level 4.1 (1.2.840.10008.1.2.4.102)", error.Message);
    }

    [Theory]
    [InlineData("1.2.840.113619.5.2", "GE Private Implicit VR Little Endian")]
    [InlineData("1.2.3.4.5.6", "unknown or private")]
    public void AnUnknownOrPrivateSyntaxIsUnsupportedTransferSyntaxWithItsUid(string uid, string name)
    {
        var error = Assert.Throws<DicomReadException>(() => new Part10ImageReader().Read(Part10([], transferSyntax: uid)));
        Assert.Equal(DicomReadException.UnsupportedTransferSyntax, error.Code);
        Assert.Contains(uid, error.Message);
        Assert.Contains(name, error.Message);
    }

    [Fact]
    public void ADatasetWithoutPixelDataIsNoPixelData() =>
        Assert.Equal(DicomReadException.NoPixelData, CodeOf(Part10(Element(0x00100010, "PN", "Doe^J "u8.ToArray()))));

    [Fact]
    public void PaletteColourStaysACodedRejection()
    {
        var file = Part10([.. Element(0x00280004, "CS", "PALETTE COLOR "u8.ToArray()), .. Element(DicomTag.PixelData, "OB", [0, 0])]);
        Assert.Equal(DicomReadException.UnsupportedPhotometric, CodeOf(file));
    }

    [Fact]
    public void DeflateBombIsRefused()
    {
        using var compressed = new MemoryStream();
        using (var deflate = new System.IO.Compression.DeflateStream(compressed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            // A valid element header claiming 64 MiB of zeros, then the zeros: tiny compressed, large inflated.
            deflate.Write(Header(0x00091010, "OB", 64 << 20));
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 64; i++) deflate.Write(zeros);
        }
        var limits = new DicomReadLimits { MaxInflatedBytes = 8 << 20 };
        var file = Part10(compressed.ToArray(), transferSyntax: "1.2.840.10008.1.2.1.99");
        Assert.Equal(DicomReadException.DecompressionTooLarge,
            Assert.Throws<DicomReadException>(() => new Part10ImageReader(limits).Read(file)).Code);
    }

    [Fact]
    public void MessagesNeverCarryAttributeValues()
    {
        var file = Part10([.. Element(0x00100010, "PN", "Secret^Name"u8.ToArray()), .. Element(0x00100020, "LO", "MRN12345"u8.ToArray(), lengthOverride: 5000)]);
        var error = Assert.Throws<DicomReadException>(() => new Part10ImageReader().Read(file));
        Assert.DoesNotContain("Secret", error.Message);
        Assert.DoesNotContain("MRN", error.Message);
    }

    internal static byte[] Part10(byte[] body, string transferSyntax = "1.2.840.10008.1.2.1")
    {
        var uid = Encoding.ASCII.GetBytes(transferSyntax.Length % 2 == 1 ? transferSyntax + "\0" : transferSyntax);
        return [.. new byte[128], .. "DICM"u8, .. Element(DicomTag.TransferSyntaxUid, "UI", uid), .. body];
    }

    internal static byte[] Part10(params byte[][] elements) => Part10(elements.SelectMany(e => e).ToArray());

    internal static byte[] Element(uint tag, string vr, byte[] value, uint? lengthOverride = null) =>
        [.. Header(tag, vr, lengthOverride ?? (uint)value.Length), .. value];

    private static byte[] Header(uint tag, string vr, uint length)
    {
        var longForm = vr is "OB" or "OW" or "SQ" or "UN" or "UT";
        var header = new byte[longForm ? 12 : 8];
        BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)(tag >> 16));
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(2), (ushort)tag);
        header[4] = (byte)vr[0];
        header[5] = (byte)vr[1];
        if (longForm) BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), length);
        else BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), (ushort)length);
        return header;
    }

    private static byte[] ItemHeader(uint tag, uint length)
    {
        var header = new byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)(tag >> 16));
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(2), (ushort)tag);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), length);
        return header;
    }

    private static byte[] U16(ushort value) => [(byte)value, (byte)(value >> 8)];
}
