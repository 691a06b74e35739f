namespace LlavaRad.Cli.Tests;

public class CliUsageTests
{
    [Theory]
    [InlineData(new[] { "frobnicate" }, "unknown verb")]
    [InlineData(new[] { "model-info" }, "--node")]
    [InlineData(new[] { "model-info", "--node" }, "needs a value")]
    [InlineData(new[] { "model-info", "--node", "not a url" }, "not an absolute URL")]
    public async Task BadUsageExitsTwoAndSaysWhatWasWrong(string[] args, string message)
    {
        var stderr = new StringWriter();
        Assert.Equal(CliApp.Usage, await CliApp.RunAsync(args, new StringWriter(), stderr));
        Assert.Contains(message, stderr.ToString());
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
