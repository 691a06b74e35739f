using LlavaRad.Model;
using LlavaRad.Model.Tokenization;

namespace LlavaRad.Cli.Tests;

public class ImportWeightsCommandTests
{
    private static string Fixture => Path.Combine(ExternalTool.RepoRoot(), "tests", "LlavaRad.Model.Tests", "Golden", "release");

    [Fact]
    public async Task ImportsTheMiniatureReleaseShowingProgressIntoALoadableDirectory()
    {
        using var dir = new TempDirectory();
        var vicuna = dir.File("vicuna");
        Directory.CreateDirectory(vicuna);
        foreach (var file in Directory.GetFiles(Path.Combine(Fixture, "vicuna"))) File.Copy(file, Path.Combine(vicuna, Path.GetFileName(file)));
        TinySentencePieceWriter.Write(Path.Combine(vicuna, "tokenizer.model"), 400);
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await CliApp.RunAsync(["import-weights", "--vicuna", vicuna, "--llava-rad", Path.Combine(Fixture, "llava-rad"), "--out", dir.File("out"), "--dtype", "float16"], stdout, stderr);

        Assert.True(exit == CliApp.Ok, stderr.ToString());
        Assert.Contains("[1]", stderr.ToString());
        var model = ModelDirectory.Open(dir.File("out"));
        Assert.Equal("float16", model.Config.TorchDtype);
        Assert.Contains(model.ComputeWeightsSha256(), stdout.ToString());
    }

    [Fact]
    public async Task MissingVicunaWeightsFailNamingTheFolder()
    {
        using var dir = new TempDirectory();
        var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(["import-weights", "--vicuna", dir.Path, "--llava-rad", Path.Combine(Fixture, "llava-rad"), "--out", dir.File("out")], new StringWriter(), stderr);
        Assert.Equal(CliApp.Failed, exit);
        Assert.Contains(dir.Path, stderr.ToString());
    }
}
