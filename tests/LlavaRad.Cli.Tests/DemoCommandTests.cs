using System.Text.Json;

namespace LlavaRad.Cli.Tests;

public class DemoCommandTests
{
    [Fact]
    public async Task DemoServesTheTinyModelAndInventoriesEverySampleStudy()
    {
        using var output = new TempDirectory();
        var studies = Path.Combine(ExternalTool.RepoRoot(), "sample-studies");
        var stdout = new StringWriter();

        var exit = await CliApp.RunAsync(["demo", "--studies", studies, "--out", output.Path], stdout, new StringWriter());

        Assert.Equal(CliApp.Ok, exit);
        using var summary = JsonDocument.Parse(File.ReadAllText(output.File("demo-summary.json")));
        var model = summary.RootElement.GetProperty("model");
        Assert.Equal(ExternalTool.Sha256Sum(Path.Combine(output.Path, "model", "model.safetensors")), model.GetProperty("weights_sha256").GetString());
        Assert.Equal("cpu", model.GetProperty("device").GetString());
        var expectedFolders = Directory.EnumerateFiles(studies, "*.dcm", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(studies, Path.GetDirectoryName(f)!)).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(expectedFolders, summary.RootElement.GetProperty("studies").EnumerateArray().Select(s => s.GetProperty("folder").GetString()));
        Assert.Contains("[4/4]", stdout.ToString());
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
