using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using LlavaRad.Contracts.V1;
using LlavaRad.Imaging;
using LlavaRad.Imaging.Png;
using LlavaRad.Model;
using LlavaRad.Model.Preprocessing;
using ModelGeneration = LlavaRad.Model.Generation;

namespace LlavaRad.Inference.Tests;

/// <summary>The node serves exactly what the model library generates, over real HTTP/2, unary and streaming.</summary>
public sealed class GenerateOverGrpcTests : IAsyncLifetime
{
    private const int Width = 96, Height = 80;
    private RunningNode? _node;
    private GrpcChannel? _channel;

    private ReportGenerator.ReportGeneratorClient Client => new(_channel!);

    public async Task InitializeAsync()
    {
        _node = await RunningNode.StartServingTinyModelAsync();
        _channel = GrpcChannel.ForAddress(_node.Address, new GrpcChannelOptions { MaxSendMessageSize = 32 << 20 });
    }

    public async Task DisposeAsync()
    {
        _channel?.Dispose();
        if (_node is not null) await _node.DisposeAsync();
    }

    private static byte[] Gradient() => Enumerable.Range(0, Width * Height).Select(i => (byte)((i % Width) * 255 / Width ^ (i / Width))).ToArray();

    private static GenerateRequest Request(Image image, uint maxNewTokens = 12) => new()
    {
        RequestId = "req-1",
        Priority = Priority.Routine,
        Images = { image },
        Indication = "Shortness of breath.",
        Options = new GenerationOptions { MaxNewTokens = maxNewTokens },
    };

    private static Image Raw(byte[] pixels, uint width = Width, uint height = Height) =>
        new() { Raw = new RawGrayImage { Width = width, Height = height, Pixels = ByteString.CopyFrom(pixels) } };

    [Fact]
    public async Task UnaryGenerateGivesTheTokensOfTheModelRunInProcess()
    {
        var response = await Client.GenerateAsync(Request(Raw(Gradient())));

        using var local = FindingsModel.Load(Path.GetDirectoryName(_node!.ModelFile("config.json"))!, TorchSharp.torch.CPU);
        var expected = local.Generate(new PixelImage(Width, Height, 1, Gradient()), "Shortness of breath.",
            new ModelGeneration.GenerationOptions { MaxNewTokens = 12 });

        Assert.Equal("req-1", response.RequestId);
        Assert.Equal(expected.TokenIds, response.TokenIds);
        Assert.Equal(expected.Text, response.Text);
        Assert.Equal(response.TokenIds.Count, response.TokenLogprobs.Count);
        Assert.All(response.TokenLogprobs, p => Assert.True(p <= 0));
        Assert.Equal(ExternalTool.Sha256Sum(_node.ModelFile("model.safetensors")), response.Model.WeightsSha256);
        Assert.NotNull(response.Timings.Decode);
    }

    [Fact]
    public async Task PngAndRawPixelsOfTheSameImageGiveTheSameTokens()
    {
        var png = PngGrayEncoder.Encode(new Gray8Image(Width, Height, Gradient()));
        var fromPng = await Client.GenerateAsync(Request(new Image { Png = ByteString.CopyFrom(png) }));
        var fromRaw = await Client.GenerateAsync(Request(Raw(Gradient())));
        Assert.Equal(fromRaw.TokenIds, fromPng.TokenIds);
    }

    [Fact]
    public async Task StreamedDeltasAddUpToTheFinalResult()
    {
        using var call = Client.GenerateStream(Request(Raw(Gradient()), maxNewTokens: 16));
        var deltas = new List<TextDelta>();
        GenerateResponse? result = null;
        await foreach (var message in call.ResponseStream.ReadAllAsync())
        {
            if (message.Delta is { } delta) deltas.Add(delta);
            else result = message.Result;
        }

        Assert.NotNull(result);
        Assert.Equal(result.TokenIds, deltas.SelectMany(d => d.TokenIds));
        Assert.Equal(result.Text, string.Concat(deltas.Select(d => d.Text)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task RequestsWithoutExactlyOneImageAreInvalid(int images)
    {
        var request = Request(Raw(Gradient()));
        request.Images.Clear();
        for (var i = 0; i < images; i++) request.Images.Add(Raw(Gradient()));

        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client.GenerateAsync(request));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("image-invalid", error.Status.Detail);
    }

    [Fact]
    public async Task RawPixelsThatDoNotFillTheStatedSizeAreInvalid()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client.GenerateAsync(Request(Raw(Gradient(), width: Width + 1))));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("image-invalid", error.Status.Detail);
    }

    [Fact]
    public async Task ANineMegabyteImageIsAcceptedNotCutOffAtTheGrpcDefaultLimit()
    {
        var response = await Client.GenerateAsync(Request(Raw(new byte[3000 * 3000], 3000, 3000), maxNewTokens: 2));
        Assert.InRange(response.TokenIds.Count, 1, 2);
    }
}
