using LlavaRad.Imaging.Grayscale;
using LlavaRad.Imaging.Part10;

namespace LlavaRad.Imaging.Tests;

/// <summary>The realistic sample studies render like dcmtk's dcmj2pnm renders them (first window, else min/max).</summary>
public class SampleStudyRenderingTests
{
    public static TheoryData<string> SampleFiles() =>
        new(Directory.EnumerateFiles(Path.Combine(ExternalTool.RepoRoot(), "sample-studies"), "*.dcm", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(ExternalTool.RepoRoot(), f)).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void PlainProfileAgreesWithDcmj2pnmWithinOneGreyLevel(string relativePath)
    {
        var file = Path.Combine(ExternalTool.RepoRoot(), relativePath);
        var source = new Part10ImageReader().Read(File.ReadAllBytes(file));
        var ours = GrayscalePipeline.Convert(source.DecodeFirstFrame(), source.Attributes).Image;

        using var temp = new TempDirectory();
        var hasWindow = source.Attributes.Contains(DicomTag.WindowCenter);
        string[] voi = hasWindow ? ["+Wi", "1"] : ["+Wm"];
        ExternalTool.Run("dcmj2pnm", [.. voi, file, temp.File("dcmtk.pgm")]);
        var theirs = Pgm.Read(temp.File("dcmtk.pgm"));

        Assert.Equal((theirs.Width, theirs.Height), (ours.Width, ours.Height));
        var worst = theirs.Pixels.Zip(ours.Pixels, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= 1, $"{relativePath}: differs from dcmj2pnm by up to {worst} grey levels");
    }
}
