using System.Buffers.Binary;
using LlavaRad.Imaging.Part10;

namespace LlavaRad.Imaging.Tests;

/// <summary>
/// Codestreams that lie about their size are refused from their header, before the codec allocates the image:
/// a stream declaring 65535 × 65535 gives too-many-pixels under the same cap as native pixels, and one whose size
/// disagrees with Rows/Columns is corrupt.
/// </summary>
public class CodecHostileTests
{
    private static byte[] Golden(string name) => File.ReadAllBytes(Path.Combine(GoldenFiles.Folder, "codecs", "cases", name + ".dcm"));

    /// <summary>Rewrites the width and height in the first frame's header marker (J2K SIZ, JPEG-LS SOF55, JPEG SOF3).</summary>
    private static byte[] WithDeclaredSize(byte[] file, int width, int height)
    {
        var copy = (byte[])file.Clone();
        for (var i = 132; i + 16 < copy.Length; i++)
        {
            if (copy[i] != 0xFF) continue;
            if (copy[i + 1] == 0x51) // SIZ: Lsiz, Rsiz, then Xsiz, Ysiz, XOsiz, YOsiz, XTsiz, YTsiz as 32-bit
            {
                BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(i + 6), (uint)width);
                BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(i + 10), (uint)height);
                BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(i + 22), (uint)width); // one tile, as the writer made it
                BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(i + 26), (uint)height);
                return copy;
            }
            if (copy[i + 1] is 0xF7 or 0xC3 or 0xC1) // SOFn: Lf, P, then Y and X as 16-bit
            {
                BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(i + 5), (ushort)height);
                BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(i + 7), (ushort)width);
                return copy;
            }
        }
        throw new InvalidOperationException("no frame header marker found");
    }

    public static TheoryData<string> Codestreams() => new("j2k-lossless-16-12-u", "j2k-lossy-16-16-s", "jpegls-lossless-16-12-u",
        "jpeg-lossless-sv1-16-12-u", "jpeg-extended-16-12-u");

    [Theory]
    [MemberData(nameof(Codestreams))]
    public void A65535SquareCodestreamIsRefusedBeforeAllocation(string name)
    {
        var file = WithDeclaredSize(Golden(name), 65535, 65535);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<DicomReadException>(() => new Part10ImageReader().Read(file).DecodeFirstFrame());
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(error.Code == DicomReadException.TooManyPixels, $"{error.Code}: {error.Message}");
        Assert.True(allocated < 4 << 20, $"{allocated} bytes were allocated before the refusal");
    }

    [Theory]
    [MemberData(nameof(Codestreams))]
    public void ASizeThatDisagreesWithTheDatasetIsCorrupt(string name)
    {
        var error = Assert.Throws<DicomReadException>(() => new Part10ImageReader().Read(WithDeclaredSize(Golden(name), 64, 47)).DecodeFirstFrame());
        Assert.Equal(DicomReadException.CorruptCompressedData, error.Code);
    }

    [Fact]
    public void MultiFrameWithoutOffsetTableStillFindsFrameOneAcrossFragments()
    {
        // fragmented-jpegls-no-bot: 1 KB fragments, an empty Basic Offset Table; frame 1 ends at the first EOI.
        var source = new Part10ImageReader().Read(Golden("fragmented-jpegls-no-bot"));
        Assert.Equal(64 * 48, source.DecodeFirstFrame().Length);
    }
}
