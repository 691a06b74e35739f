using Google.Protobuf;
using LlavaRad.Contracts;
using LlavaRad.Contracts.V1;

namespace LlavaRad.IntegrationTests.Node;

/// <summary>
/// The worker's client against real nodes: retried across a restart, spread over several nodes, a dead one left out;
/// the balancing tests run on the worker's factory-built client and on a one-off client.
/// </summary>
public sealed class ResilientClientTests
{
    private static GenerateRequest Request(string id) => new()
    {
        RequestId = id,
        Priority = Priority.Routine,
        Images = { new Image { Raw = new RawGrayImage { Width = 48, Height = 40, Pixels = ByteString.CopyFrom(Enumerable.Range(0, 48 * 40).Select(i => (byte)(i * 7 % 256)).ToArray()) } } },
        Indication = "cough",
        Options = new GenerationOptions { MaxNewTokens = 4 },
    };

    [Fact]
    public async Task ARequestSentWhileTheNodeIsDownIsAnsweredOnceItIsBackOnTheSamePort()
    {
        using var model = new TempDirectory();
        LoopbackNode.WriteTinyModel(model.Path, seed: 5);
        await using var node = new LoopbackNode(model.Path, ClosedPort.Next());
        await node.StartAsync();
        using var client = new InferenceNodeClient(new InferenceNodeClientOptions
        {
            Address = node.Address, MaxAttempts = 40, InitialBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromMilliseconds(500),
            GenerateTimeout = TimeSpan.FromSeconds(60),
        });
        Assert.True(await client.WaitUntilServingAsync(TimeSpan.FromSeconds(60)));
        var before = await client.GenerateAsync(Request("before"));

        await node.StopAsync();
        var during = client.GenerateAsync(Request("across-restart"));
        await Task.Delay(TimeSpan.FromSeconds(1)); // the first attempts meet a closed port
        Assert.False(during.IsCompleted, during.IsFaulted ? $"gave up while the node was down: {during.Exception!.InnerException}" : "answered by a stopped node");
        await node.StartAsync();
        var answered = await during;

        Assert.Equal("across-restart", answered.RequestId);
        Assert.Equal(before.TokenIds, answered.TokenIds);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CallsAreSpreadOverServingNodesAndAStoppedNodeIsLeftOut(bool asTheWorkerBuildsIt)
    {
        using var modelA = new TempDirectory();
        using var modelB = new TempDirectory();
        LoopbackNode.WriteTinyModel(modelA.Path, seed: 5);
        LoopbackNode.WriteTinyModel(modelB.Path, seed: 6);
        await using var a = new LoopbackNode(modelA.Path, ClosedPort.Next());
        await using var b = new LoopbackNode(modelB.Path, ClosedPort.Next());
        await Task.WhenAll(a.StartAsync(), b.StartAsync());
        foreach (var node in new[] { a, b })
        {
            using var probe = new InferenceNodeClient(new InferenceNodeClientOptions { Address = node.Address });
            Assert.True(await probe.WaitUntilServingAsync(TimeSpan.FromSeconds(60)));
        }
        using var underTest = NodeClientUnderTest.Create(asTheWorkerBuildsIt, new InferenceNodeClientOptions
        {
            Addresses = [a.Address, b.Address], HealthProbeInterval = TimeSpan.FromMilliseconds(200),
            MaxAttempts = 10, InitialBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromMilliseconds(300),
        });
        var client = underTest.Client;

        var spread = new List<string>();
        for (var i = 0; i < 8; i++) spread.Add((await client.GenerateAsync(Request($"spread-{i}"))).Model.WeightsSha256);
        await b.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(1)); // a few health probes
        var afterStop = new List<string>();
        for (var i = 0; i < 6; i++) afterStop.Add((await client.GenerateAsync(Request($"after-{i}"))).Model.WeightsSha256);

        Assert.Equal(2, spread.Distinct().Count());
        Assert.Single(afterStop.Distinct());
        Assert.Equal(ExternalTool.Sha256Sum(Path.Combine(modelA.Path, "model.safetensors")), afterStop[0]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ANodeThatListensButIsNotServingGetsNoCallsEvenWithoutRetries(bool asTheWorkerBuildsIt)
    {
        using var model = new TempDirectory();
        using var broken = new TempDirectory(); // no model: the node listens but stays NOT_SERVING
        LoopbackNode.WriteTinyModel(model.Path, seed: 5);
        await using var serving = new LoopbackNode(model.Path, ClosedPort.Next());
        await using var notServing = new LoopbackNode(broken.Path, ClosedPort.Next());
        await Task.WhenAll(serving.StartAsync(), notServing.StartAsync());
        using (var probe = new InferenceNodeClient(new InferenceNodeClientOptions { Address = serving.Address }))
            Assert.True(await probe.WaitUntilServingAsync(TimeSpan.FromSeconds(60)));
        using var underTest = NodeClientUnderTest.Create(asTheWorkerBuildsIt, new InferenceNodeClientOptions
        {
            Addresses = [serving.Address, notServing.Address], HealthProbeInterval = TimeSpan.FromMilliseconds(200), MaxAttempts = 1,
        });
        var client = underTest.Client;

        var answers = new List<GenerateResponse>();
        for (var i = 0; i < 6; i++) answers.Add(await client.GenerateAsync(Request($"only-serving-{i}")));

        Assert.All(answers, r => Assert.Equal(ExternalTool.Sha256Sum(Path.Combine(model.Path, "model.safetensors")), r.Model.WeightsSha256));
    }
}
