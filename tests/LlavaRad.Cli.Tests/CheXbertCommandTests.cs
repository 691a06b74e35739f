using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlavaRad.Cli.Tests;

/// <summary>`label` and `eval` with --labeler chexbert on the tiny checkpoint whose logits a plain-torch reference wrote.</summary>
public class CheXbertCommandTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "CheXbert");
    private static readonly JsonNode Golden = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "checkpoint-goldens.json")))!;
    private static readonly string[] Texts = Golden["texts"]!.AsArray().Select(t => (string)t!).ToArray();
    private static readonly string[] Words = ["blank", "positive", "negative", "uncertain"];

    private static string[] CheXbertArgs => ["--labeler", "chexbert", "--chexbert", Path.Combine(Folder, "chexbert-tiny-zip.pth"), "--vocab", Path.Combine(Folder, "vocab.txt")];

    [Fact]
    public async Task LabelsWithLogitsAsTheReferenceComputedThem()
    {
        var stdin = new StringReader(string.Join("\n", Texts.Select(t => JsonSerializer.Serialize(t))) + "\n");
        var stdout = new StringWriter();
        Assert.Equal(CliApp.Ok, await CliApp.RunAsync(["label", .. CheXbertArgs, "--logits", "--batch", "4"], new CliConsole(stdin, stdout, new StringWriter()), handleSignals: false));
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(Texts.Length, lines.Count);
        var expected = Golden["zip"]!.AsArray();
        for (var r = 0; r < lines.Count; r++)
        {
            var logits = lines[r]["logits"]!.AsObject().ToList();
            Assert.Equal(14, logits.Count);
            for (var head = 0; head < 14; head++)
            {
                var want = expected[r]![head]!.AsArray().Select(v => (double)v!).ToArray();
                var got = logits[head].Value!.AsArray().Select(v => (double)v!).ToArray();
                Assert.Equal(want.Length, got.Length);
                Assert.All(want.Zip(got), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-4));
                Assert.Equal(Words[Array.IndexOf(want, want.Max())], (string)lines[r]["labels"]![logits[head].Key]!);
            }
        }
    }

    [Fact]
    public async Task LabelsWithoutLogitsInTheRuleBasedFormat()
    {
        var stdout = new StringWriter();
        Assert.Equal(CliApp.Ok, await CliApp.RunAsync(["label", .. CheXbertArgs], new CliConsole(new StringReader("\"No pleural effusion.\"\n"), stdout, new StringWriter()), handleSignals: false));
        var row = JsonSerializer.Deserialize<Dictionary<string, string>>(stdout.ToString())!;
        Assert.Equal(14, row.Count);
        Assert.All(row.Values, v => Assert.Contains(v, Words));
    }

    [Fact]
    public async Task EvalReportsTheCheXbertRowsBesideTheRuleBasedOnes()
    {
        using var folder = new TempDirectory();
        File.WriteAllLines(folder.File("pairs.jsonl"), Texts.Select((t, i) => JsonSerializer.Serialize(new { generated = t, reference = Texts[^(i + 1)] })));
        var stdout = new StringWriter();
        Assert.Equal(CliApp.Ok, await CliApp.RunAsync(["eval", "--input", folder.File("pairs.jsonl"), "--bootstrap", "20", "--json", folder.File("out.json"), .. CheXbertArgs], stdout, new StringWriter()));
        var metrics = JsonNode.Parse(File.ReadAllText(folder.File("out.json")))!["metrics"]!.AsArray().ToDictionary(m => (string)m!["name"]!, m => (double)m!["value"]!);
        Assert.Contains("Micro-F1-14 (rule-based)", metrics.Keys);
        Assert.Equal((double)Golden["pair_f1"]!["micro-14"]!, metrics["Micro-F1-14 (CheXbert)"], 12);
        Assert.Equal((double)Golden["pair_f1"]!["macro-5+"]!, metrics["Macro-F1-5+ (CheXbert)"], 12);
        Assert.Contains("Micro-F1-5+ (CheXbert)", stdout.ToString());
    }

    [Fact]
    public async Task ABrokenCheckpointGivesItsCode()
    {
        var args = CheXbertArgs.ToArray();
        args[3] = Path.Combine(Folder, "vocab.txt"); // --chexbert pointing at a text file
        var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(["label", .. args], new CliConsole(new StringReader("\"x\"\n"), new StringWriter(), stderr), handleSignals: false);
        Assert.Equal(CliApp.Failed, exit);
        Assert.StartsWith("llavarad label: chexbert-checkpoint-invalid", stderr.ToString());
    }
}
