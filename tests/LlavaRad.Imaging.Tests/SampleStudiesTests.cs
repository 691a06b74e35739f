using System.Text.Json;

namespace LlavaRad.Imaging.Tests;

/// <summary>The committed sample studies are exactly what their generator makes, and the manifest describes them.</summary>
public class SampleStudiesTests
{
    private static readonly string Root = Path.Combine(ExternalTool.RepoRoot(), "sample-studies");

    [Fact]
    public void CommittedFilesAreByteIdenticalToAFreshGeneration()
    {
        var output = ExternalTool.Run("/usr/bin/python3", Path.Combine(Root, "generate.py"), "--check");
        Assert.Contains("identical", output);
    }

    public static TheoryData<string> ManifestFiles()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "manifest.json")));
        return new(manifest.RootElement.GetProperty("studies").EnumerateArray()
            .SelectMany(s => s.GetProperty("files").EnumerateArray()).Select(f => f.GetProperty("path").GetString()!));
    }

    [Theory]
    [MemberData(nameof(ManifestFiles))]
    public void ManifestAgreesWithDcmtk(string path)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "manifest.json")));
        var entry = manifest.RootElement.GetProperty("studies").EnumerateArray()
            .SelectMany(s => s.GetProperty("files").EnumerateArray()).Single(f => f.GetProperty("path").GetString() == path);
        var file = Path.Combine(Root, path);

        Assert.Equal(entry.GetProperty("sopInstanceUid").GetString(), ExternalTool.DcmtkTag(file, "0008,0018"));
        Assert.Equal(entry.GetProperty("modality").GetString(), ExternalTool.DcmtkTag(file, "0008,0060"));
        Assert.Equal(entry.GetProperty("viewPosition").GetString(), ExternalTool.DcmtkTag(file, "0018,5101"));
        Assert.Equal(entry.GetProperty("photometricInterpretation").GetString(), ExternalTool.DcmtkTag(file, "0028,0004"));
        Assert.Equal(entry.GetProperty("sha256").GetString(), ExternalTool.Sha256Sum(file));
    }
}
