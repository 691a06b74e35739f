using LlavaRad.Model.Architecture;
using LlavaRad.Model.Checkpoints;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace LlavaRad.Model.Tests;

/// <summary>Every tensor is checked against the config before loading; files are rewritten with PyBridge's writer.</summary>
public sealed class CheckpointLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public CheckpointLoaderTests() => TinyModelWriter.Write(_dir.Path, TinyModelWriter.DefaultConfig, seed: 4);

    private Dictionary<string, Tensor> Tensors() => Safetensors.LoadStateDict(_dir.File("model.safetensors"));

    private void Rewrite(Action<Dictionary<string, Tensor>> change)
    {
        var tensors = Tensors();
        change(tensors);
        Safetensors.SaveStateDict(_dir.File("model.safetensors"), tensors);
    }

    private InvalidModelException LoadFails() =>
        Assert.Throws<InvalidModelException>(() => LlavaRadModel.Load(ModelDirectory.Open(_dir.Path), CPU).Dispose());

    [Fact]
    public void WrongShapeNamesTheTensorAndBothShapes()
    {
        Rewrite(t => t["model.layers.1.self_attn.k_proj.weight"] = zeros(64, 64));
        var error = LoadFails();
        Assert.Equal(InvalidModelException.WeightsMismatch, error.Code);
        Assert.Contains("model.layers.1.self_attn.k_proj.weight", error.Message);
        Assert.Contains("[64,64]", error.Message);
        Assert.Contains("[32,64]", error.Message);
    }

    [Fact]
    public void WrongDtypeNamesTheTensor()
    {
        Rewrite(t => t["model.norm.weight"] = t["model.norm.weight"].to(ScalarType.Float16));
        var error = LoadFails();
        Assert.Equal(InvalidModelException.WeightsMismatch, error.Code);
        Assert.Contains("model.norm.weight is F16", error.Message);
    }

    [Fact]
    public void MissingTensorIsNamed()
    {
        Rewrite(t => t.Remove("model.vision_tower.blocks.0.ls2.gamma"));
        var error = LoadFails();
        Assert.Contains("model.vision_tower.blocks.0.ls2.gamma is missing", error.Message);
    }

    [Fact]
    public void UnexpectedTensorIsNamed()
    {
        Rewrite(t => t["model.layers.0.self_attn.rotary_emb.inv_freq"] = ones(8));
        var error = LoadFails();
        Assert.Contains("model.layers.0.self_attn.rotary_emb.inv_freq is not part of the canonical layout", error.Message);
    }

    [Fact]
    public void TruncatedFileIsACodedError()
    {
        var bytes = File.ReadAllBytes(_dir.File("model.safetensors"));
        File.WriteAllBytes(_dir.File("model.safetensors"), bytes[..(bytes.Length - 100)]);
        Assert.Equal(InvalidModelException.BadWeights, LoadFails().Code);
    }

    [Fact]
    public void ShardedCheckpointLoadsTheSameWeights()
    {
        using var single = LlavaRadModel.Load(ModelDirectory.Open(_dir.Path), CPU);
        var tensors = Tensors();
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
        var shards = new[] { names.Take(names.Count / 2).ToList(), names.Skip(names.Count / 2).ToList() };
        for (var i = 0; i < 2; i++)
            Safetensors.SaveStateDict(_dir.File($"model-0000{i + 1}-of-00002.safetensors"), shards[i].ToDictionary(n => n, n => tensors[n]));
        File.Delete(_dir.File("model.safetensors"));
        File.WriteAllText(_dir.File("model.safetensors.index.json"), System.Text.Json.JsonSerializer.Serialize(new
        {
            weight_map = names.ToDictionary(n => n, n => shards[0].Contains(n) ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors"),
        }));

        using var sharded = LlavaRadModel.Load(ModelDirectory.Open(_dir.Path), CPU);
        using var scope = NewDisposeScope();
        var pixels = randn(1, 3, 64, 64);
        Assert.True(single.EncodeImages(pixels).Equals(sharded.EncodeImages(pixels)));
        var ids = tensor(new long[] { 1, 5, 9 }).unsqueeze(0);
        Assert.True(single.Decoder.Embed(ids).Equals(sharded.Decoder.Embed(ids)));
    }

    [Fact]
    public void HeaderValidationReadsNoWeightsAndListsEveryTensor()
    {
        var entries = CheckpointLoader.Validate(ModelDirectory.Open(_dir.Path));
        Assert.Equal(CheckpointLayout.Expected(TinyModelWriter.DefaultConfig).Count, entries.Count);
    }

    public void Dispose() => _dir.Dispose();
}
