using LlavaRad.Model.Architecture;
using static TorchSharp.torch;

namespace LlavaRad.Model.Tests;

/// <summary>The memory plan a node checks before loading, against what loading really allocates and against published sizes.</summary>
public sealed class MemoryPlanTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ThePlannedWeightsAreTheBytesTheLoadedTinyModelHolds()
    {
        TinyModelWriter.Write(_dir.Path, TinyModelWriter.DefaultConfig, seed: 3);
        var directory = ModelDirectory.Open(_dir.Path);
        using var model = LlavaRadModel.Load(directory, CPU);

        var plan = MemoryPlan.For(directory.Config, MemoryPlan.ElementBytes(model.Dtype), maxBatchSize: 8, prefillChunkTokens: 512);

        Assert.Equal(model.WeightBytes, plan.WeightBytes);
    }

    [Fact]
    public void TheVicuna7BDecoderHasThePublishedLlama2ParameterCount()
    {
        // Vicuna-7B v1.5 is LLaMA-2-7B's architecture; Meta and Hugging Face publish 6,738,415,616 parameters for it.
        var vicuna = new TextConfig
        {
            VocabSize = 32000, HiddenSize = 4096, IntermediateSize = 11008, NumHiddenLayers = 32, NumAttentionHeads = 32,
            NumKeyValueHeads = 32, MaxPositionEmbeddings = 4096,
        };
        Assert.Equal(6_738_415_616L, MemoryPlan.TextWeights(vicuna));
        // Keys and values, 32 layers × 4096 wide, in fp16: half a MiB per position, 2 GiB per KV row of 4096 positions.
        Assert.Equal(512L * 1024, MemoryPlan.KvBytesPerPosition(vicuna, 2));
    }

    [Fact]
    public void TheKvPoolGrowsWithItsRowsAndTheDtype()
    {
        var config = TinyModelWriter.DefaultConfig;
        var t = config.TextConfig;
        var fp32 = MemoryPlan.For(config, 4, maxBatchSize: 8, prefillChunkTokens: 64);
        var fp16 = MemoryPlan.For(config, 2, maxBatchSize: 16, prefillChunkTokens: 64);
        Assert.Equal(8L * t.MaxPositionEmbeddings * t.NumHiddenLayers * 2 * t.NumKeyValueHeads * t.HeadDim * 4, fp32.KvPoolBytes);
        Assert.Equal(fp32.KvPoolBytes, fp16.KvPoolBytes);
        Assert.Equal(fp32.WeightBytes, 2 * fp16.WeightBytes);
    }
}
