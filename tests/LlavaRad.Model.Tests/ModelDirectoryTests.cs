namespace LlavaRad.Model.Tests;

public class ModelDirectoryTests
{
    [Fact]
    public void SingleFileDigestEqualsSha256sum()
    {
        using var dir = new TempDirectory();
        TinyModelWriter.Write(dir.Path, TinyModelWriter.DefaultConfig, seed: 7);

        var model = ModelDirectory.Open(dir.Path);

        Assert.Equal(ExternalTool.Sha256Sum(dir.File("model.safetensors")), model.ComputeWeightsSha256());
    }

    [Fact]
    public void ShardedDigestIsSha256OfTheSha256sumListing()
    {
        using var dir = new TempDirectory();
        TinyModelWriter.DefaultConfig.Save(dir.File("config.json"));
        File.WriteAllBytes(dir.File("model-00002-of-00002.safetensors"), [4, 5, 6]);
        File.WriteAllBytes(dir.File("model-00001-of-00002.safetensors"), [1, 2, 3]);
        File.WriteAllText(dir.File("model.safetensors.index.json"),
            """{"weight_map": {"a": "model-00002-of-00002.safetensors", "b": "model-00001-of-00002.safetensors"}}""");

        var listing = ExternalTool.Run("sh", "-c", $"cd '{dir.Path}' && sha256sum model-0000*.safetensors");
        File.WriteAllText(dir.File("listing.txt"), listing);

        Assert.Equal(ExternalTool.Sha256Sum(dir.File("listing.txt")), ModelDirectory.Open(dir.Path).ComputeWeightsSha256());
    }

    [Fact]
    public void MissingWeightsAreACodedError()
    {
        using var dir = new TempDirectory();
        TinyModelWriter.DefaultConfig.Save(dir.File("config.json"));
        Assert.Equal(InvalidModelException.MissingFile, Assert.Throws<InvalidModelException>(() => ModelDirectory.Open(dir.Path)).Code);
    }

    [Fact]
    public void ShardListedButAbsentIsACodedError()
    {
        using var dir = new TempDirectory();
        TinyModelWriter.DefaultConfig.Save(dir.File("config.json"));
        File.WriteAllText(dir.File("model.safetensors.index.json"), """{"weight_map": {"a": "gone.safetensors"}}""");
        Assert.Equal(InvalidModelException.MissingFile, Assert.Throws<InvalidModelException>(() => ModelDirectory.Open(dir.Path)).Code);
    }
}
