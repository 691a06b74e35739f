using System.Text.Json.Nodes;

namespace LlavaRad.Cli.Tests;

public class EvalCommandTests
{
    private const string Pairs =
        """
        {"generated": "Small left pleural effusion. No pneumothorax.", "reference": "Small left pleural effusion. No pneumothorax."}
        {"generated": "", "reference": "Moderate cardiomegaly with mild pulmonary edema."}
        {"generated": "Right lower lobe consolidation.", "reference": "Right lower lobe consolidation, likely pneumonia."}
        """;

    [Fact]
    public async Task PrintsATableWritesJsonAndSaysWhatIsNotComputed()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("pairs.jsonl"), Pairs);
        var stdout = new StringWriter();
        var code = await CliApp.RunAsync(["eval", "--input", folder.File("pairs.jsonl"), "--json", folder.File("out.json"), "--bootstrap", "50"],
            stdout, new StringWriter());
        Assert.Equal(CliApp.Ok, code);

        var table = stdout.ToString();
        foreach (var name in new[] { "BLEU-1", "BLEU-4", "ROUGE-L", "Micro-F1-14", "Macro-F1-14", "Micro-F1-5", "Macro-F1-5" })
            Assert.Contains(name, table);
        Assert.Contains("F1-CheXbert: not computed", table);
        Assert.Contains("F1-RadGraph: not computed", table);
        Assert.Contains("substitute for CheXbert", table);

        var json = JsonNode.Parse(File.ReadAllText(folder.File("out.json")))!;
        Assert.Equal(3, (int)json["pairs"]!);
        Assert.Equal(50, (int)json["bootstrap_samples"]!);
        var metrics = json["metrics"]!.AsArray();
        Assert.Equal(7, metrics.Count);
        Assert.All(metrics, m => Assert.True((double)m!["ci95_low"]! <= (double)m["ci95_high"]!));
        Assert.Equal(3, json["not_computed"]!.AsArray().Count);
    }

    /// <summary>The review app's export, written by its own writer, gives the same metrics as the same texts as
    /// generated/reference pairs: the draft is what the model generated, the signed final the reference.</summary>
    [Fact]
    public async Task ReadsTheReviewAppsCollectedPairsAsDraftAgainstFinal()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("pairs.jsonl"), Pairs);
        var texts = Pairs.Split('\n').Select(l => JsonNode.Parse(l)!).ToList();
        var signed = DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        await using (var export = File.Create(folder.File("review-pairs.jsonl")))
            await LlavaRad.Review.Agreement.ReviewPairs.WriteJsonLinesAsync(texts.Select((t, i) => new LlavaRad.Review.Agreement.ReviewPair(
                $"draft-{i}", (string)t["generated"]!, (string)t["reference"]!, signed.AddHours(-1), signed)), export);

        var asPairs = new StringWriter();
        var asReview = new StringWriter();
        Assert.Equal(CliApp.Ok, await CliApp.RunAsync(["eval", "--input", folder.File("pairs.jsonl"), "--bootstrap", "20"], asPairs, new StringWriter()));
        Assert.Equal(CliApp.Ok, await CliApp.RunAsync(["eval", "--input", folder.File("review-pairs.jsonl"), "--bootstrap", "20"], asReview, new StringWriter()));

        Assert.StartsWith("3 pairs", asReview.ToString());
        Assert.Equal(asPairs.ToString(), asReview.ToString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ProgressIsLiveOnATerminalAndPlainLinesOtherwiseWithTheSameTable(bool terminal)
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("pairs.jsonl"), Pairs);
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = await CliApp.RunAsync(["eval", "--input", folder.File("pairs.jsonl"), "--bootstrap", "20"],
            new CliConsole(TextReader.Null, stdout, stderr, Terminal: terminal), handleSignals: false);
        Assert.Equal(CliApp.Ok, code);

        Assert.Contains("evaluating 3 pairs with 20 bootstrap samples (seed 3) ...", stderr.ToString());
        // A live display redraws with ANSI control sequences (ESC [); plain lines carry none.
        Assert.Equal(terminal, stderr.ToString().Contains("\u001b[", StringComparison.Ordinal));
        Assert.DoesNotContain("\u001b[", stdout.ToString());
        Assert.Contains("ROUGE-L", stdout.ToString());
    }

    [Theory]
    [InlineData("{\"generated\": \"x\"}", "line 1")]
    [InlineData("{\"generated\": \"x\", \"reference\": \"y\"}\nnot json", "line 2")]
    [InlineData("\n\n", "no (generated, reference) pairs")]
    public async Task BadInputFailsNamingTheProblem(string content, string message)
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("pairs.jsonl"), content);
        var stderr = new StringWriter();
        Assert.Equal(CliApp.Failed, await CliApp.RunAsync(["eval", "--input", folder.File("pairs.jsonl")], new StringWriter(), stderr));
        Assert.Contains(message, stderr.ToString());
    }

    [Theory]
    [InlineData(new[] { "eval" }, "--input")]
    [InlineData(new[] { "eval", "--input", "x.jsonl", "--bootstrap", "0" }, "--bootstrap")]
    public async Task BadUsageExitsTwo(string[] args, string message)
    {
        var stderr = new StringWriter();
        Assert.Equal(CliApp.Usage, await CliApp.RunAsync(args, new StringWriter(), stderr));
        Assert.Contains(message, stderr.ToString());
    }
}
