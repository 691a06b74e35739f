using System.Text.Json;

namespace LlavaRad.Cli.Tests;

public class DemoCommandTests
{
    [Fact]
    public async Task DemoDraftsEveryFrontalChestStudyAndGivesTheCodedReasonForTheOthers()
    {
        using var output = new TempDirectory();
        var studies = Path.Combine(ExternalTool.RepoRoot(), "sample-studies");
        var stdout = new StringWriter();

        var exit = await CliApp.RunAsync(["demo", "--studies", studies, "--out", output.Path], stdout, new StringWriter());

        Assert.Equal(CliApp.Ok, exit);
        using var summary = JsonDocument.Parse(File.ReadAllText(output.File("demo-summary.json")));
        var model = summary.RootElement.GetProperty("model");
        Assert.Equal(ExternalTool.Sha256Sum(Path.Combine(output.Path, "model", "model.safetensors")), model.GetProperty("weights_sha256").GetString());
        var outcomes = summary.RootElement.GetProperty("studies").EnumerateArray()
            .ToDictionary(s => s.GetProperty("folder").GetString()!, s => s);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(studies, "manifest.json")));
        foreach (var expected in manifest.RootElement.GetProperty("studies").EnumerateArray())
        {
            var folder = expected.GetProperty("folder").GetString()!;
            var selection = expected.GetProperty("expectedSelection");
            var result = outcomes[folder];
            if (selection.GetProperty("outcome").GetString() == "frontal")
            {
                Assert.Equal("drafted", result.GetProperty("outcome").GetString());
                var selectedUid = selection.GetProperty("sopInstanceUid").GetString();
                var selectedFile = Path.Combine(studies, folder, result.GetProperty("selected_file").GetString()!);
                Assert.Equal(selectedUid, ExternalTool.DcmtkTag(selectedFile, "0008,0018"));
                Assert.True(result.GetProperty("draft").GetProperty("tokens").GetInt32() > 0);
            }
            else
            {
                Assert.Equal(selection.GetProperty("outcome").GetString(), result.GetProperty("outcome").GetString());
            }
        }
        Assert.Contains("[4/4]", stdout.ToString());
    }

    [Fact]
    public async Task SummaryAndOutputCarryNoPatientIdentifiers()
    {
        using var output = new TempDirectory();
        var studies = Path.Combine(ExternalTool.RepoRoot(), "sample-studies");
        var stdout = new StringWriter();
        await CliApp.RunAsync(["demo", "--studies", studies, "--out", output.Path], stdout, new StringWriter());

        var written = File.ReadAllText(output.File("demo-summary.json")) + stdout;
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(studies, "manifest.json")));
        foreach (var study in manifest.RootElement.GetProperty("studies").EnumerateArray())
        {
            foreach (var field in new[] { "patientId", "accessionNumber", "studyInstanceUid" })
                Assert.DoesNotContain(study.GetProperty(field).GetString()!, written);
            foreach (var namePart in study.GetProperty("patientName").GetString()!.Split('^', StringSplitOptions.RemoveEmptyEntries))
                Assert.DoesNotContain(namePart, written);
        }
    }

    [Fact]
    public async Task MissingStudiesFolderFailsWithTheFolderNamed()
    {
        var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(["demo", "--studies", "/nonexistent/studies"], new StringWriter(), stderr);
        Assert.Equal(CliApp.Failed, exit);
        Assert.Contains("/nonexistent/studies", stderr.ToString());
    }
}
