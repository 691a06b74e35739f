using System.Text.Json;
using LlavaRad.Model.Checkpoints;
using LlavaRad.Model.Generation;
using LlavaRad.Model.Tokenization;
using TorchSharp;
using TorchSharp.PyBridge;

namespace LlavaRad.Model.Tests;

/// <summary>
/// Import of a miniature official release in its exact formats (torch.save'd fp16 Vicuna shards, PEFT adapter,
/// bf16 non_lora_trainables.bin, open_clip checkpoint), made by Golden/make_release_fixture.py, which also merged
/// the LoRA itself: expected.safetensors.
/// </summary>
public sealed class OfficialReleaseImporterTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly OfficialRelease _release;

    public OfficialReleaseImporterTests()
    {
        var source = GoldenData.File("release");
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_dir.Path, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        TinySentencePieceWriter.Write(Path.Combine(_dir.Path, "vicuna", "tokenizer.model"), 400); // LLaMA's cannot be committed
        _release = new OfficialRelease(Path.Combine(_dir.Path, "vicuna"), Path.Combine(_dir.Path, "llava-rad"));
    }

    [Fact]
    public void EveryCanonicalTensorEqualsTheReferenceMergeAndPrefixStripping()
    {
        var output = Path.Combine(_dir.Path, "out");
        OfficialReleaseImporter.Import(_release, output, "float32");

        var ours = Safetensors.LoadStateDict(Path.Combine(output, "model.safetensors"));
        var expected = GoldenData.Tensors(Path.Combine("release", "expected.safetensors"));
        Assert.Equal(expected.Keys.Order(), ours.Keys.Order());
        foreach (var (name, tensor) in expected)
            Assert.True(tensor.allclose(ours[name], rtol: 1e-5, atol: 1e-6), $"{name} differs from the reference");
        Assert.DoesNotContain(ours.Keys, k => k.Contains("inv_freq") || k.Contains("head.proj") || k.Contains("text."));
    }

    [Fact]
    public void ManifestHoldsTheSha256OfInputsAndOutputsAndTheResultGenerates()
    {
        var output = Path.Combine(_dir.Path, "out");
        var steps = new List<string>();
        OfficialReleaseImporter.Import(_release, output, "float32", steps.Add);

        Assert.True(steps.Count >= 5, "progress is reported");
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, OfficialReleaseImporter.ManifestFile)));
        var inputs = manifest.RootElement.GetProperty("inputs").EnumerateArray().ToDictionary(e => e.GetProperty("path").GetString()!, e => e.GetProperty("sha256").GetString());
        Assert.Equal(ExternalTool.Sha256Sum(_release.AdapterWeights), inputs[Path.GetFullPath(_release.AdapterWeights)]);
        Assert.Equal(ExternalTool.Sha256Sum(Path.Combine(output, "model.safetensors")), manifest.RootElement.GetProperty("weights_sha256").GetString());

        using var model = FindingsModel.Load(output, torch.CPU);
        Assert.Equal(3, model.Model.Config.VisionConfig.NumHiddenLayers);
        var image = new Preprocessing.PixelImage(10, 12, 1, new byte[120]);
        Assert.Equal(4, model.Generate(image, "cough", new GenerationOptions { MaxNewTokens = 4 }).TokenIds.Count);
    }

    [Fact]
    public void MissingAdapterIsACodedErrorNamingTheFile()
    {
        File.Delete(_release.AdapterWeights);
        var error = Assert.Throws<InvalidModelException>(() => OfficialReleaseImporter.Import(_release, Path.Combine(_dir.Path, "out")));
        Assert.Equal(InvalidModelException.MissingFile, error.Code);
        Assert.Contains("adapter_model.bin", error.Message);
    }

    public void Dispose() => _dir.Dispose();
}
