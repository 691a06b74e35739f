using System.Text.Json;
using LlavaRad.Imaging.Part10;
using LlavaRad.Imaging.Png;
using LlavaRad.Imaging.Grayscale;

namespace LlavaRad.Cli.Tests;

/// <summary>`llavarad report` over a PNG, a DICOM file and a folder with only a lateral view.</summary>
[Collection(EmbeddedWorkerCollection.Name)]
public sealed class ReportCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private static string Samples => Path.Combine(ExternalTool.RepoRoot(), "sample-studies", "studies");

    [Fact]
    public async Task DraftsEachFrontalInputAndGivesTheCodedReasonForTheOthersAsJson()
    {
        var dicom = Directory.GetFiles(Path.Combine(Samples, "pa-chest-dx-8bit-no-window"), "*.dcm").Single();
        var source = new Part10ImageReader().Read(File.ReadAllBytes(dicom));
        var png = _dir.File("chest.png");
        File.WriteAllBytes(png, PngGrayEncoder.Encode(GrayscalePipeline.Convert(source.DecodeFirstFrame(), source.Attributes).Image));
        var output = _dir.File("out");
        var (stdout, stderr) = (new StringWriter(), new StringWriter());

        var exit = await CliApp.RunAsync(["report", png, dicom, Path.Combine(Samples, "lateral-only-chest-dx"), "--out", output, "--json"], stdout, stderr);

        Assert.True(exit == CliApp.Failed, stderr.ToString()); // one input could not be drafted
        using var report = JsonDocument.Parse(stdout.ToString());
        var studies = report.RootElement.GetProperty("studies").EnumerateArray().ToDictionary(s => s.GetProperty("input").GetString()!);
        Assert.Equal(3, studies.Count);
        Assert.Equal("no-frontal-view", studies[Path.Combine(Samples, "lateral-only-chest-dx")].GetProperty("outcome").GetString());
        foreach (var drafted in new[] { png, dicom })
        {
            var study = studies[drafted];
            Assert.Equal("drafted", study.GetProperty("outcome").GetString());
            Assert.False(string.IsNullOrWhiteSpace(study.GetProperty("findings").GetString()));
            Assert.Contains(study.GetProperty("urgency").GetString(), new[] { "routine", "urgent", "stat" });
            using var bundle = JsonDocument.Parse(File.ReadAllText(study.GetProperty("fhir_bundle").GetString()!));
            Assert.Equal("transaction", bundle.RootElement.GetProperty("type").GetString());
            Assert.Contains(bundle.RootElement.GetProperty("entry").EnumerateArray(),
                e => e.GetProperty("resource").GetProperty("resourceType").GetString() == "DiagnosticReport");
        }
        Assert.Equal(2, Directory.GetFiles(Path.Combine(output, "sr"), "*.dcm").Length);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(output, "hl7"), "*.hl7").Length);
    }

    [Fact]
    public async Task AMissingPathFailsNamingIt()
    {
        var stderr = new StringWriter();
        Assert.Equal(CliApp.Failed, await CliApp.RunAsync(["report", "/nonexistent/x.png", "--out", _dir.File("out")], new StringWriter(), stderr));
        Assert.Contains("/nonexistent/x.png", stderr.ToString());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
