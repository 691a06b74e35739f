using System.Text.Json;

namespace LlavaRad.Cli.Tests;

public class LabelCommandTests
{
    private static readonly string[] Names =
    [
        "Enlarged Cardiomediastinum", "Cardiomegaly", "Lung Opacity", "Lung Lesion", "Edema", "Consolidation", "Pneumonia",
        "Atelectasis", "Pneumothorax", "Pleural Effusion", "Pleural Other", "Fracture", "Support Devices", "No Finding",
    ];

    [Fact]
    public async Task EachInputLineGivesOneObjectWithAllFourteenNames()
    {
        var stdin = new StringReader("\"No pneumothorax or effusion.\"\n\"Cannot exclude early pneumonia. Small left effusion.\"\n");
        var stdout = new StringWriter();
        Assert.Equal(CliApp.Ok, await CliApp.RunAsync(["label"], new CliConsole(stdin, stdout, new StringWriter()), handleSignals: false));

        var rows = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonSerializer.Deserialize<Dictionary<string, string>>(l)!).ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, row => Assert.Equal(Names, row.Keys));
        Assert.Equal("negative", rows[0]["Pneumothorax"]);
        Assert.Equal("negative", rows[0]["Pleural Effusion"]);
        Assert.Equal("positive", rows[0]["No Finding"]);
        Assert.Equal("blank", rows[0]["Cardiomegaly"]);
        Assert.Equal("uncertain", rows[1]["Pneumonia"]);
        Assert.Equal("positive", rows[1]["Pleural Effusion"]);
        Assert.Equal("blank", rows[1]["No Finding"]);
    }

    [Fact]
    public async Task AnInputFileWorksThroughTheVerb()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("in.jsonl"), "\"The heart is enlarged.\"\n");
        var stdout = new StringWriter();
        Assert.Equal(CliApp.Ok, await CliApp.RunAsync(["label", "--input", folder.File("in.jsonl")], stdout, new StringWriter()));
        Assert.Equal("positive", JsonSerializer.Deserialize<Dictionary<string, string>>(stdout.ToString())!["Cardiomegaly"]);
    }

    [Fact]
    public async Task ALineThatIsNotAJsonStringFailsNamingTheLine()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("in.jsonl"), "\"No pneumothorax.\"\n{\"text\": \"oops\"}\n");
        var stderr = new StringWriter();
        Assert.Equal(CliApp.Failed, await CliApp.RunAsync(["label", "--input", folder.File("in.jsonl")], new StringWriter(), stderr));
        Assert.Contains("line 2", stderr.ToString());
    }
}
