using System.Text.Json;
using LlavaRad.Model.Tokenization;

namespace LlavaRad.Cli.Tests;

public class TokenizeCommandTests
{
    private static string StressFile => Path.Combine(ExternalTool.RepoRoot(), "tests", "LlavaRad.Model.Tests", "Golden", "tokenizer-stress.jsonl");

    private static async Task<(int Exit, string Stdout, string Stderr)> Run(string stdin, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(args, new CliConsole(new StringReader(stdin), stdout, stderr), handleSignals: false);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [LlamaTokenizerFact]
    public async Task IdsEqualSentencepiecesForTheGoldenStressStrings()
    {
        var tokenizer = LlamaTokenizerFactAttribute.Path()!;
        var golden = File.ReadLines(StressFile).Take(400).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var stdin = string.Join("\n", golden.Select(g => g.GetProperty("text").GetRawText()));

        var (exit, stdout, stderr) = await Run(stdin, "tokenize", "--tokenizer", tokenizer);

        Assert.True(exit == CliApp.Ok, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(golden.Count, lines.Length);
        for (var i = 0; i < lines.Length; i++)
            Assert.Equal(new[] { 1 }.Concat(golden[i].GetProperty("ids").EnumerateArray().Select(e => e.GetInt32())), JsonSerializer.Deserialize<int[]>(lines[i])!);
    }

    [Fact]
    public async Task NoBosLeavesOutIdOneAndEmptyStringWithBosIsJustOne()
    {
        using var dir = new TempDirectory();
        TinySentencePieceWriter.Write(dir.File("tokenizer.model"));

        var withBos = await Run("\"\"\n\"the lungs\"\n", "tokenize", "--tokenizer", dir.File("tokenizer.model"));
        var noBos = await Run("\"the lungs\"\n", "tokenize", "--tokenizer", dir.File("tokenizer.model"), "--no-bos");

        var lines = withBos.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("[1]", lines[0]);
        Assert.Equal(JsonSerializer.Deserialize<int[]>(lines[1])![1..], JsonSerializer.Deserialize<int[]>(noBos.Stdout)!);
    }

    [Fact]
    public async Task ALineThatIsNotAJsonStringFailsNamingTheLine()
    {
        using var dir = new TempDirectory();
        TinySentencePieceWriter.Write(dir.File("tokenizer.model"));
        var (exit, _, stderr) = await Run("\"ok\"\nnot json\n", "tokenize", "--tokenizer", dir.File("tokenizer.model"));
        Assert.Equal(CliApp.Failed, exit);
        Assert.Contains("line 2", stderr);
    }
}
