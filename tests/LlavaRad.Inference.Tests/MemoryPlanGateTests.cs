using Grpc.Core;
using LlavaRad.Contracts;
using LlavaRad.Contracts.V1;
using LlavaRad.Model;

namespace LlavaRad.Inference.Tests;

/// <summary>A configuration whose memory plan exceeds the device is refused before any weights are read.</summary>
public sealed class MemoryPlanGateTests : IDisposable
{
    private readonly TempDirectory _model = new();

    public MemoryPlanGateTests() => TinyModelWriter.Write(_model.Path, TinyModelWriter.DefaultConfig, seed: 12);

    public void Dispose() => _model.Dispose();

    [Fact]
    public async Task ADeviceTooSmallForThePlanIsRefusedWithTheCodeThatNamesIt()
    {
        // The tiny model's weights alone are well over 1 MiB.
        await using var node = await RunningNode.StartAsync(_model.Path, "http", $"--Inference:DeviceMemoryBytes={1 << 20}");
        var refused = await node.WaitForModelFailureAsync();
        Assert.Equal(InvalidModelException.MemoryPlanExceedsDevice, refused.Metadata["model_error"]);
    }

    [Fact]
    public async Task APlanThatFitsIsServed()
    {
        var plan = MemoryPlan.For(TinyModelWriter.DefaultConfig, 4, maxBatchSize: 2, prefillChunkTokens: 512);
        await using var node = await RunningNode.StartAsync(_model.Path, "http",
            "--Inference:Batching:MaxBatchSize=2", $"--Inference:DeviceMemoryBytes={plan.TotalBytes + (1 << 20)}");
        Assert.True(await node.Client.WaitUntilServingAsync(TimeSpan.FromSeconds(120)));
    }
}
