using System.CommandLine;

namespace LlavaRad.Cli.Tests;

public class CliUsageTests
{
    [Theory]
    [InlineData(new[] { "frobnicate" }, "'frobnicate'")]
    [InlineData(new[] { "model-info" }, "--node")]
    [InlineData(new[] { "model-info", "--node" }, "Required argument missing for option: '--node'")]
    [InlineData(new[] { "model-info", "--node", "not a url" }, "not an absolute URL")]
    [InlineData(new[] { "replay", "--dead-letter", "true" }, "Unrecognized command or argument 'true'")]
    public async Task BadUsageExitsTwoAndSaysWhatWasWrong(string[] args, string message)
    {
        var stderr = new StringWriter();
        Assert.Equal(CliApp.Usage, await CliApp.RunAsync(args, new StringWriter(), stderr));
        Assert.Contains(message, stderr.ToString());
    }

    public static TheoryData<string> Verbs()
    {
        var data = new TheoryData<string>();
        foreach (var verb in CliApp.CreateRoot(new CliConsole(TextReader.Null, TextWriter.Null, TextWriter.Null)).Subcommands) data.Add(verb.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task HelpOnEveryVerbExitsZeroAndListsTheExitCodes(string verb)
    {
        var stdout = new StringWriter();
        Assert.Equal(CliApp.Ok, await CliApp.RunAsync([verb, "--help"], stdout, new StringWriter()));
        Assert.Contains($" {verb} ", stdout.ToString()); // "Usage: llavarad VERB ..." (the host's name under test)
        Assert.Contains("130 cancelled", stdout.ToString());
    }

    [Fact]
    public void EveryVerbOfTheDesignIsThere()
    {
        var names = CliApp.CreateRoot(new CliConsole(TextReader.Null, TextWriter.Null, TextWriter.Null)).Subcommands.Select(c => c.Name).ToHashSet();
        foreach (var verb in new[] { "report", "generate", "tokenize", "convert-image", "import-weights", "eval", "replay", "demo" })
            Assert.Contains(verb, names);
    }

    [Fact]
    public async Task AnUnknownOptionExitsTwoSuggestingTheCloseMatchOnStderr()
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        Assert.Equal(CliApp.Usage, await CliApp.RunAsync(["demo", "--studes", "x"], stdout, stderr));
        Assert.Contains("'--studes' was not matched. Did you mean", stderr.ToString());
        Assert.Contains("--studies", stderr.ToString());
        Assert.Equal("", stdout.ToString());
    }

    [Fact]
    public void TabCompletionOffersTheVerbsOptionsAndValues()
    {
        var root = CliApp.CreateRoot(new CliConsole(TextReader.Null, TextWriter.Null, TextWriter.Null));
        Assert.Contains("demo", root.Parse("de").GetCompletions().Select(c => c.Label));
        Assert.Contains("--studies", root.Parse("demo --stu").GetCompletions().Select(c => c.Label));
        Assert.Contains("dead-lettered", root.Parse("jobs --state ").GetCompletions().Select(c => c.Label));
    }

    [Fact]
    public async Task TheSuggestDirectiveAnswersForDotnetSuggest()
    {
        var stdout = new StringWriter();
        Assert.Equal(CliApp.Ok, await CliApp.RunAsync(["[suggest:13]", "replay --dead"], stdout, new StringWriter()));
        Assert.Contains("--dead-letter", stdout.ToString());
    }

    [Fact]
    public async Task ModelInfoAgainstANodeThatIsDownExitsOneNamingTheNode()
    {
        var node = $"http://127.0.0.1:{ClosedPort.Next()}";
        var stderr = new StringWriter();
        Assert.Equal(CliApp.Failed, await CliApp.RunAsync(["model-info", "--node", node], new StringWriter(), stderr));
        Assert.Contains(node, stderr.ToString());
    }
}
