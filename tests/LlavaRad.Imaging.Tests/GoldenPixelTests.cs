using LlavaRad.Imaging.Grayscale;
using LlavaRad.Imaging.Part10;

namespace LlavaRad.Imaging.Tests;

/// <summary>
/// Every golden variant (transfer syntax × bit depth × sign × photometric × rescale × VOI, plus specials) decodes and
/// converts to within one grey level of the image pydicom + numpy computed from the same file.
/// </summary>
public class GoldenPixelTests
{
    public static TheoryData<string, string> Variants()
    {
        var data = new TheoryData<string, string>();
        foreach (var v in GoldenFiles.Manifest.GetProperty("variants").EnumerateArray())
            data.Add(v.GetProperty("name").GetString()!, v.GetProperty("profile").GetString()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void ConvertsWithinOneGreyLevelOfPydicom(string name, string profile)
    {
        Assert.True(GrayscaleProfiles.TryParse(profile, out var parsed));
        var source = new Part10ImageReader().Read(File.ReadAllBytes(GoldenFiles.Dicom(name)));
        var result = GrayscalePipeline.Convert(source.DecodeFirstFrame(), source.Attributes, parsed);
        var expected = GoldenFiles.ReadPgm(name);

        Assert.Equal((expected.Width, expected.Height), (result.Image.Width, result.Image.Height));
        var worst = expected.Pixels.Zip(result.Image.Pixels, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1, $"{name}: a pixel differs by {worst} grey levels; steps: {string.Join("; ", result.Steps)}");
    }

    [Fact]
    public void TheMatrixCoversEveryTransferSyntaxWeDecode()
    {
        var syntaxes = GoldenFiles.Manifest.GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("syntax").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "explicit-le", "implicit-le", "explicit-be", "deflated", "rle" }, syntaxes);
    }

    [Fact]
    public void CommittedGoldenFilesAreWhatTheScriptMakes()
    {
        var output = ExternalTool.Run("/usr/bin/python3", Path.Combine(GoldenFiles.Folder, "make_golden.py"), "--check");
        Assert.Contains("identical", output);
    }
}
