using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using LlavaRad.Contracts.V1;
using LlavaRad.Model;
using LlavaRad.Model.Preprocessing;
using ModelGeneration = LlavaRad.Model.Generation;

namespace LlavaRad.Inference.Tests;

/// <summary>The node's continuous batcher seen over gRPC: invisible in the tokens, refusing new work while it stops.</summary>
public sealed class BatchingNodeTests
{
    private static readonly string[] Indications = ["cough", "fever and chills for three days", "", "chest pain", "line check", "dyspnea"];

    private static (int Width, int Height, byte[] Pixels) Image(int i)
    {
        int width = 40 + i * 7, height = 48 + i * 3;
        return (width, height, Enumerable.Range(0, width * height).Select(p => (byte)((p * (i + 3) + p / width * 11) % 251)).ToArray());
    }

    private static GenerateRequest Request(int i, uint maxNewTokens) => new()
    {
        RequestId = $"req-{i}",
        Priority = (Priority)(1 + i % 3),
        Images = { new Image { Raw = new RawGrayImage { Width = (uint)Image(i).Width, Height = (uint)Image(i).Height, Pixels = ByteString.CopyFrom(Image(i).Pixels) } } },
        Indication = Indications[i % Indications.Length],
        Options = new GenerationOptions { MaxNewTokens = maxNewTokens },
    };

    [Fact]
    public async Task SixteenConcurrentCallsGetExactlyTheTokensOfSixteenSequentialGenerations()
    {
        await using var node = await RunningNode.StartServingTinyModelAsync("--Inference:Batching:MaxBatchSize=6", "--Inference:Batching:PrefillChunkTokens=32");
        using var channel = GrpcChannel.ForAddress(node.Address, new GrpcChannelOptions { MaxSendMessageSize = 32 << 20 });
        var client = new ReportGenerator.ReportGeneratorClient(channel);
        uint MaxTokens(int i) => (uint)(5 + 4 * (i % 4));

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => client.GenerateAsync(Request(i, MaxTokens(i))).ResponseAsync));

        using var local = FindingsModel.Load(Path.GetDirectoryName(node.ModelFile("config.json"))!, TorchSharp.torch.CPU);
        for (var i = 0; i < 16; i++)
        {
            var (width, height, pixels) = Image(i);
            var expected = local.Generate(new PixelImage(width, height, 1, pixels), Indications[i % Indications.Length],
                new ModelGeneration.GenerationOptions { MaxNewTokens = (int)MaxTokens(i) });
            Assert.Equal($"req-{i}", responses[i].RequestId);
            Assert.Equal(expected.TokenIds, responses[i].TokenIds);
            Assert.Equal(expected.Text, responses[i].Text);
            Assert.NotNull(responses[i].Timings.Queue);
            Assert.True(responses[i].Timings.Prefill.ToTimeSpan() > TimeSpan.Zero);
        }
    }

    [Fact]
    public async Task ConcurrentStreamsEachCarryTheirOwnTokensOutOfTheSharedBatch()
    {
        await using var node = await RunningNode.StartServingTinyModelAsync("--Inference:Batching:MaxBatchSize=4");
        using var channel = GrpcChannel.ForAddress(node.Address, new GrpcChannelOptions { MaxSendMessageSize = 32 << 20 });
        var client = new ReportGenerator.ReportGeneratorClient(channel);

        async Task<(List<TextDelta> Deltas, GenerateResponse? Result)> Stream(int i)
        {
            using var call = client.GenerateStream(Request(i, 12));
            var deltas = new List<TextDelta>();
            GenerateResponse? result = null;
            await foreach (var message in call.ResponseStream.ReadAllAsync())
                if (message.Delta is { } delta) deltas.Add(delta);
                else result = message.Result;
            return (deltas, result);
        }
        var streams = await Task.WhenAll(Enumerable.Range(0, 6).Select(Stream));
        var unary = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => client.GenerateAsync(Request(i, 12)).ResponseAsync));

        for (var i = 0; i < 6; i++)
        {
            Assert.NotNull(streams[i].Result);
            Assert.Equal(unary[i].TokenIds, streams[i].Deltas.SelectMany(d => d.TokenIds));
            Assert.Equal(unary[i].Text, string.Concat(streams[i].Deltas.Select(d => d.Text)));
            Assert.Equal(unary[i].TokenIds, streams[i].Result!.TokenIds);
        }
    }

    [Fact]
    public async Task AStoppingNodeFinishesItsRunningCallAndRefusesNewOnesWithUnavailable()
    {
        await using var node = await RunningNode.StartServingTinyModelAsync("--Inference:ShutdownGrace=00:01:00");
        using var channel = GrpcChannel.ForAddress(node.Address, new GrpcChannelOptions { MaxSendMessageSize = 32 << 20 });
        var client = new ReportGenerator.ReportGeneratorClient(channel);
        using var call = client.GenerateStream(Request(1, 300));
        Assert.True(await call.ResponseStream.MoveNext());

        var stopping = node.App.StopAsync();
        var scheduler = (GenerationScheduler)node.App.Services.GetService(typeof(GenerationScheduler))!;
        for (var i = 0; i < 500 && !scheduler.Stopping; i++) await Task.Delay(10);
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await client.GenerateAsync(Request(2, 2)));
        GenerateResponse? result = null;
        while (await call.ResponseStream.MoveNext())
            if (call.ResponseStream.Current.Result is { } r) result = r;
        await stopping;

        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.NotNull(result);
        Assert.NotEqual(FinishReason.Cancelled, result.FinishReason);
    }
}
