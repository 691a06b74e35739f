using System.Text.Json;
using LlavaRad.Model;
using LlavaRad.Model.Generation;
using LlavaRad.Model.Preprocessing;
using SkiaSharp;
using TorchSharp;

namespace LlavaRad.Cli.Tests;

public sealed class GenerateCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _model;
    private readonly PixelImage _gray;
    private readonly string _png;

    public GenerateCommandTests()
    {
        _model = Path.Combine(_dir.Path, "model");
        TinyModelWriter.Write(_model, TinyModelWriter.DefaultConfig, seed: 17);
        var random = new Random(3);
        var pixels = new byte[90 * 70];
        random.NextBytes(pixels);
        _gray = new PixelImage(90, 70, 1, pixels);
        _png = _dir.File("chest.png");
        WritePng(_png, _gray);
    }

    private static void WritePng(string path, PixelImage image)
    {
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Gray8, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        image.Pixels.CopyTo(bitmap.GetPixelSpan());
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task DicomInputGivesTheTokensOfItsConvertedPng()
    {
        var dicom = Path.Combine(ExternalTool.RepoRoot(), "sample-studies", "studies", "ap-portable-chest-cr-mono1", "series01-ap-portable.dcm");
        var png = _dir.File("converted.png");
        Assert.Equal(CliApp.Ok, (await Run("convert-image", dicom, png, "--profile", "mimic-cxr-jpg")).Exit);

        var fromDicom = await Run("generate", "--model", _model, "--image", dicom, "--max-new-tokens", "8", "--json");
        var fromPng = await Run("generate", "--model", _model, "--image", png, "--max-new-tokens", "8", "--json");

        Assert.True(fromDicom.Exit == CliApp.Ok, fromDicom.Stderr);
        using var a = JsonDocument.Parse(fromDicom.Stdout);
        using var b = JsonDocument.Parse(fromPng.Stdout);
        Assert.Equal(b.RootElement.GetProperty("token_ids").ToString(), a.RootElement.GetProperty("token_ids").ToString());
    }

    [Fact]
    public async Task JsonHoldsTheTokensTextAndLogprobsTheModelLibraryGivesForThosePixels()
    {
        var (exit, stdout, stderr) = await Run("generate", "--model", _model, "--image", _png, "--indication", "cough", "--max-new-tokens", "12", "--json");
        Assert.True(exit == CliApp.Ok, stderr);

        using var expectedModel = FindingsModel.Load(_model, torch.CPU);
        var expected = expectedModel.Generate(_gray, "cough", new GenerationOptions { MaxNewTokens = 12 });
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(expected.TokenIds, root.GetProperty("token_ids").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(expected.Text, root.GetProperty("text").GetString());
        Assert.Equal(12, root.GetProperty("logprobs").GetArrayLength());
        Assert.All(root.GetProperty("logprobs").EnumerateArray(), p => Assert.True(p.GetDouble() <= 0));
        Assert.Equal("length", root.GetProperty("finish_reason").GetString());
        Assert.True(root.GetProperty("timings").GetProperty("prefill_ms").GetDouble() > 0);
    }

    [Fact]
    public async Task SeededSamplingIsRepeatableFromTheCommandLine()
    {
        string[] args = ["generate", "--model", _model, "--image", _png, "--max-new-tokens", "8", "--temperature", "0.8", "--seed", "42", "--json"];
        var first = await Run(args);
        var second = await Run(args);
        Assert.Equal(CliApp.Ok, first.Exit);
        using var a = JsonDocument.Parse(first.Stdout);
        using var b = JsonDocument.Parse(second.Stdout);
        Assert.Equal(a.RootElement.GetProperty("token_ids").ToString(), b.RootElement.GetProperty("token_ids").ToString());
    }

    [Fact]
    public async Task MissingImageOptionIsUsageError()
    {
        var (exit, _, stderr) = await Run("generate", "--model", _model, "--json");
        Assert.Equal(CliApp.Usage, exit);
        Assert.Contains("--image", stderr);
    }

    [Fact]
    public async Task UnreadableImageFailsNamingTheFile()
    {
        File.WriteAllText(_dir.File("notes.png"), "not an image");
        var (exit, _, stderr) = await Run("generate", "--model", _model, "--image", _dir.File("notes.png"));
        Assert.Equal(CliApp.Failed, exit);
        Assert.Contains("notes.png", stderr);
    }

    [Fact]
    public async Task ModelWithoutTokenizerFailsWithTheCodedReason()
    {
        File.Delete(Path.Combine(_model, "tokenizer.model"));
        var (exit, _, stderr) = await Run("generate", "--model", _model, "--image", _png);
        Assert.Equal(CliApp.Failed, exit);
        Assert.Contains(InvalidModelException.MissingFile, stderr);
        Assert.Contains("tokenizer.model", stderr);
    }

    public void Dispose() => _dir.Dispose();
}
