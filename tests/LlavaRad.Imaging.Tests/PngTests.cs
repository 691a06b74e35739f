using LlavaRad.Imaging.Grayscale;
using LlavaRad.Imaging.Part10;
using LlavaRad.Imaging.Png;

namespace LlavaRad.Imaging.Tests;

public class PngTests
{
    private static readonly string Sample = Path.Combine(ExternalTool.RepoRoot(), "sample-studies", "studies", "pa-chest-dx-12bit-rescaled", "series01-pa.dcm");

    [Fact]
    public void DecoderReadsDcmtksPngLikeDcmtksPgm()
    {
        using var temp = new TempDirectory();
        ExternalTool.Run("dcmj2pnm", "+on", "-il", "+Wi", "1", Sample, temp.File("a.png")); // -il: not interlaced
        ExternalTool.Run("dcmj2pnm", "+Wi", "1", Sample, temp.File("a.pgm"));

        var decoded = PngGrayDecoder.Decode(File.ReadAllBytes(temp.File("a.png")));

        Assert.Equal(Pgm.Read(temp.File("a.pgm")), decoded, new Gray8Comparer());
    }

    [Fact]
    public void EncodedPngDecodesToTheSamePixels()
    {
        var source = new Part10ImageReader().Read(File.ReadAllBytes(Sample));
        var image = GrayscalePipeline.Convert(source.DecodeFirstFrame(), source.Attributes).Image;
        var png = PngGrayEncoder.Encode(image);
        Assert.Equal(image, PngGrayDecoder.Decode(png), new Gray8Comparer());
        Assert.True(png.Length < image.Pixels.Length, "a radiograph compresses");
    }

    [Fact]
    public void GarbageIsACodedError() =>
        Assert.Equal(DicomReadException.CorruptCompressedData, Assert.Throws<DicomReadException>(() => PngGrayDecoder.Decode(new byte[] { 0x89, 1, 2, 3, 4, 5, 6, 7, 8 })).Code);

    private sealed class Gray8Comparer : IEqualityComparer<Gray8Image>
    {
        public bool Equals(Gray8Image? a, Gray8Image? b) => a!.Width == b!.Width && a.Height == b.Height && a.Pixels.AsSpan().SequenceEqual(b.Pixels);
        public int GetHashCode(Gray8Image obj) => obj.Width;
    }
}
