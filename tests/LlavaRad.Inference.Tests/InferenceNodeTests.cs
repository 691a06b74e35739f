using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using LlavaRad.Contracts.V1;
using LlavaRad.Model;

namespace LlavaRad.Inference.Tests;

public class InferenceNodeTests
{
    [Fact]
    public async Task ReportsServingAndDescribesTheLoadedModelOverHttp2()
    {
        await using var node = await RunningNode.StartServingTinyModelAsync();

        Assert.Equal("127.0.0.1", node.Address.Host);
        var info = await node.Client.GetModelInfoAsync();

        Assert.Equal("llava-rad-tiny-random", info.Identity.ModelId);
        Assert.Equal("0.1.0", info.Identity.ModelVersion);
        Assert.Equal(ExternalTool.Sha256Sum(node.ModelFile("model.safetensors")), info.Identity.WeightsSha256);
        Assert.Equal("float32", info.Dtype);
        Assert.Equal("cpu", info.Device);
        Assert.Equal(512u, info.MaxContext);
        Assert.Equal(64u, info.ImageSize);
        Assert.StartsWith("TorchSharp 0.107.0 / libtorch 2.10.0", info.Runtime);
    }

    [Fact]
    public async Task BrokenModelDirectoryKeepsTheNodeNotServingWithACodedReason()
    {
        using var empty = new TempDirectory();
        await using var node = await RunningNode.StartAsync(empty.Path);
        using var channel = GrpcChannel.ForAddress(node.Address);
        var health = new Health.HealthClient(channel);

        HealthCheckResponse.Types.ServingStatus status = default;
        for (var i = 0; i < 50; i++)
        {
            status = (await health.CheckAsync(new HealthCheckRequest { Service = "llavarad.v1.ReportGenerator" })).Status;
            await Task.Delay(20);
        }
        var error = await Assert.ThrowsAsync<RpcException>(() => node.Client.GetModelInfoAsync());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, status);
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains(InvalidModelException.MissingFile, error.Status.Detail);
    }
}
