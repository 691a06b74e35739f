using System.Text.Json;

namespace LlavaRad.Cli.Tests;

public class SynthCommandTests
{
    [Fact]
    public async Task SynthWritesDicomFilesThatDcmtkReadsAndAnIndexWithTheirFindings()
    {
        using var output = new TempDirectory();
        var exit = await CliApp.RunAsync(["synth", "--out", output.Path, "--count", "3", "--seed", "5", "--size", "64"], new StringWriter(), new StringWriter());

        Assert.Equal(CliApp.Ok, exit);
        var lines = File.ReadAllLines(output.File("cases.jsonl"));
        Assert.Equal(3, lines.Length);
        foreach (var line in lines)
        {
            using var entry = JsonDocument.Parse(line);
            var file = output.File(entry.RootElement.GetProperty("file").GetString()!);
            Assert.Equal("MONOCHROME2", ExternalTool.DcmtkTag(file, "0028,0004"));
            Assert.Equal("PA", ExternalTool.DcmtkTag(file, "0018,5101"));
            Assert.False(string.IsNullOrWhiteSpace(entry.RootElement.GetProperty("findings").GetString()));
        }
    }

    [Fact]
    public async Task SynthWithoutAnOutputFolderIsAUsageError()
    {
        var stderr = new StringWriter();
        Assert.Equal(CliApp.Usage, await CliApp.RunAsync(["synth", "--count", "2"], new StringWriter(), stderr));
        Assert.Contains("--out", stderr.ToString());
    }
}
