using LlavaRad.Imaging.Grayscale;
using LlavaRad.Imaging.Part10;

namespace LlavaRad.Imaging.Tests;

/// <summary>8-bit JPEG baseline pixel data (made by dcmtk's dcmcjpeg) decodes like dcmtk decodes it.</summary>
public class JpegBaselineTests
{
    private static readonly string EightBit = Path.Combine(ExternalTool.RepoRoot(), "sample-studies", "studies", "pa-chest-dx-8bit-no-window", "series01-pa.dcm");

    [Theory]
    [InlineData("+eb")] // baseline, one fragment
    [InlineData("+eb +fs 8")] // baseline split into 8 KB fragments: the frame must be joined
    public void DecodesLikeDcmj2pnmWithinOneGreyLevel(string options)
    {
        using var temp = new TempDirectory();
        var jpeg = temp.File("jpeg.dcm");
        ExternalTool.Run("dcmcjpeg", [.. options.Split(' '), EightBit, jpeg]);
        ExternalTool.Run("dcmj2pnm", "+Wm", jpeg, temp.File("dcmtk.pgm"));

        var source = new Part10ImageReader().Read(File.ReadAllBytes(jpeg));
        Assert.Equal(TransferSyntax.JpegBaselineUid, source.TransferSyntaxUid);
        var ours = GrayscalePipeline.Convert(source.DecodeFirstFrame(), source.Attributes).Image;
        var theirs = Pgm.Read(temp.File("dcmtk.pgm"));

        var worst = theirs.Pixels.Zip(ours.Pixels, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= 1, $"differs from dcmtk's JPEG decode by {worst} grey levels");
    }

    [Fact]
    public void AJpegWhoseSizeDisagreesWithTheDatasetIsCorrupt()
    {
        using var temp = new TempDirectory();
        var jpeg = temp.File("jpeg.dcm");
        ExternalTool.Run("dcmcjpeg", "+eb", EightBit, jpeg);
        ExternalTool.Run("dcmodify", "-nb", "-m", "(0028,0010)=256", jpeg);
        var error = Assert.Throws<DicomReadException>(() => new Part10ImageReader().Read(File.ReadAllBytes(jpeg)).DecodeFirstFrame());
        Assert.Equal(DicomReadException.CorruptCompressedData, error.Code);
    }
}
