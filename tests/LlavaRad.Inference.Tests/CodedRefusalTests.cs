using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using LlavaRad.Contracts;
using LlavaRad.Contracts.V1;

namespace LlavaRad.Inference.Tests;

/// <summary>One serving tiny-model node for the refusal tests.</summary>
public sealed class ServingNodeFixture : IAsyncLifetime
{
    public RunningNode Node { get; private set; } = null!;
    public GrpcChannel Channel { get; private set; } = null!;
    public ReportGenerator.ReportGeneratorClient Client => new(Channel);

    public async Task InitializeAsync()
    {
        Node = await RunningNode.StartServingTinyModelAsync();
        Channel = GrpcChannel.ForAddress(Node.Address, new GrpcChannelOptions { MaxSendMessageSize = 32 << 20 });
    }

    public async Task DisposeAsync()
    {
        Channel.Dispose();
        await Node.DisposeAsync();
    }
}

/// <summary>
/// Every refusal is a status a client can act on without parsing text: ErrorInfo (reason, domain, limits) read
/// from the trailers, the sent value quoted, nothing silently changed.
/// </summary>
public sealed class CodedRefusalTests(ServingNodeFixture fixture) : IClassFixture<ServingNodeFixture>
{
    private static readonly byte[] Pixels = new byte[64 * 64];

    private static GenerateRequest Request(Image? image = null, GenerationOptions? options = null, string indication = "") => new()
    {
        RequestId = "r",
        Images = { image ?? new Image { Raw = new RawGrayImage { Width = 64, Height = 64, Pixels = ByteString.CopyFrom(Pixels) } } },
        Indication = indication,
        Options = options ?? new GenerationOptions { MaxNewTokens = 1 },
    };

    private async Task<NodeError> RefusedAsync(GenerateRequest request, StatusCode expected)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Client.GenerateAsync(request));
        Assert.Equal(expected, error.StatusCode);
        // The details travel in the grpc-status-details-bin trailer as google.rpc.Status.
        Assert.Contains(error.Trailers, t => t.Key == "grpc-status-details-bin");
        var coded = NodeError.From(error);
        Assert.StartsWith($"{coded.Reason}: ", error.Status.Detail); // old clients still read the prefix
        return coded;
    }

    [Fact]
    public async Task RawPixelsOfFourGigapixelsSquaredAreTooLargeNotANegativeByteCount()
    {
        var huge = new Image { Raw = new RawGrayImage { Width = uint.MaxValue, Height = uint.MaxValue, Pixels = ByteString.CopyFrom(1, 2, 3) } };
        var error = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Client.GenerateAsync(Request(huge)));
        var coded = NodeError.From(error);
        Assert.Equal(NodeErrorReasons.ImageTooLarge, coded.Reason);
        Assert.Equal($"{8192L * 8192}", coded.Metadata["max_pixels"]);
        Assert.Contains("4294967295x4294967295", error.Status.Detail);
        Assert.DoesNotContain("-", error.Status.Detail.Split(':', 2)[1].Replace("image-too-large", ""));
    }

    [Fact]
    public async Task AShortRawImageQuotesTheTrueByteCounts()
    {
        var shortImage = new Image { Raw = new RawGrayImage { Width = 65, Height = 64, Pixels = ByteString.CopyFrom(Pixels) } };
        var coded = await RefusedAsync(Request(shortImage), StatusCode.InvalidArgument);
        Assert.Equal(NodeErrorReasons.ImageInvalid, coded.Reason);
        Assert.Equal(NodeErrorReasons.Domain, "llavarad.v1");
        Assert.Equal("4096", coded.Metadata["bytes"]);
    }

    [Fact]
    public async Task APngDeclaringMoreThanThePixelBudgetIsRefusedFromItsHeader()
    {
        var png = IndependentPng.Zeros(8193, 8192, IndependentPng.Gray, 8);
        var coded = await RefusedAsync(Request(new Image { Png = ByteString.CopyFrom(png) }), StatusCode.InvalidArgument);
        Assert.Equal(NodeErrorReasons.ImageTooLarge, coded.Reason);
    }

    [Theory]
    [InlineData(IndependentPng.Palette, 8, false)]
    [InlineData(IndependentPng.Gray, 4, false)]
    [InlineData(IndependentPng.Gray, 8, true)]
    public async Task PaletteLowBitDepthAndInterlacedPngsAreRefusedAsTheProtoSays(int colorType, int bitDepth, bool interlaced)
    {
        var png = IndependentPng.Zeros(64, 64, colorType, bitDepth, interlaced);
        var coded = await RefusedAsync(Request(new Image { Png = ByteString.CopyFrom(png) }), StatusCode.InvalidArgument);
        Assert.Equal(NodeErrorReasons.ImageInvalid, coded.Reason);
        Assert.Equal("unsupported-pixel-format", coded.Metadata["cause"]);
    }

    [Theory]
    [InlineData(IndependentPng.Gray, 16)]
    [InlineData(IndependentPng.GrayAlpha, 8)]
    [InlineData(IndependentPng.Rgb, 8)]
    [InlineData(IndependentPng.Rgba, 16)]
    public async Task GrayAlphaRgbAnd16BitPngsAreAccepted(int colorType, int bitDepth)
    {
        var png = IndependentPng.Zeros(64, 64, colorType, bitDepth);
        var response = await fixture.Client.GenerateAsync(Request(new Image { Png = ByteString.CopyFrom(png) }));
        Assert.Single(response.TokenIds);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(-0.5f)]
    [InlineData(2f)]
    public async Task TopPOutsideZeroToOneIsRefusedQuotingTheValue(float topP)
    {
        var coded = await RefusedAsync(Request(options: new GenerationOptions { MaxNewTokens = 1, TopP = topP }), StatusCode.InvalidArgument);
        Assert.Equal(NodeErrorReasons.OptionsInvalid, coded.Reason);
        Assert.Equal("top_p", coded.Metadata["field"]);
        Assert.Equal(topP.ToString(System.Globalization.CultureInfo.InvariantCulture), coded.Metadata["value"]);
    }

    [Fact]
    public async Task AnUnknownPriorityIsInvalidArgument()
    {
        var request = Request();
        request.Priority = (Priority)9;
        var coded = await RefusedAsync(request, StatusCode.InvalidArgument);
        Assert.Equal(NodeErrorReasons.PriorityInvalid, coded.Reason);
        Assert.Equal("9", coded.Metadata["priority"]);
    }

    [Fact]
    public async Task ModelInfoGivesTheLimitAndTheNodeHoldsToItExactly()
    {
        var info = await fixture.Client.GetModelInfoAsync(new GetModelInfoRequest());
        // The tiny model: 64 px images in 16 px patches, 512 positions.
        Assert.Equal(16u, info.ImageTokens);
        Assert.True(info.PromptOverheadTokens > info.ImageTokens);
        Assert.Equal(info.MaxContext - info.PromptOverheadTokens, info.LargestMaxNewTokens);

        var tooMany = info.LargestMaxNewTokens + 1;
        var coded = await RefusedAsync(Request(options: new GenerationOptions { MaxNewTokens = tooMany }), StatusCode.InvalidArgument);
        Assert.Equal(NodeErrorReasons.RequestTooLong, coded.Reason);
        Assert.Equal($"{tooMany}", coded.Metadata["max_new_tokens"]); // the value sent, not a clamped one
        Assert.Equal($"{info.LargestMaxNewTokens}", coded.Metadata["largest_max_new_tokens"]);
        Assert.Equal($"{info.PromptOverheadTokens}", coded.Metadata["prompt_tokens"]);

        // The batcher's own accounting agrees: the largest value runs (stopping at EOS or the limit).
        var response = await fixture.Client.GenerateAsync(Request(options: new GenerationOptions { MaxNewTokens = info.LargestMaxNewTokens }));
        Assert.InRange(response.TokenIds.Count, 1, (int)info.LargestMaxNewTokens);
    }

    [Fact]
    public async Task AnIndicationTakesItsTokensFromTheLimit()
    {
        var info = await fixture.Client.GetModelInfoAsync(new GetModelInfoRequest());
        var request = Request(options: new GenerationOptions { MaxNewTokens = info.LargestMaxNewTokens }, indication: "Shortness of breath.");
        var coded = await RefusedAsync(request, StatusCode.InvalidArgument);
        Assert.True(int.Parse(coded.Metadata["prompt_tokens"]) > info.PromptOverheadTokens);
    }

    [Fact]
    public async Task ABodyThatIsNotProtobufIsInvalidArgumentNotUnknown()
    {
        var bytes = Marshallers.Create((byte[] b) => b, b => b);
        var generate = new Method<byte[], byte[]>(MethodType.Unary, ReportGenerator.Descriptor.FullName, "Generate", bytes, bytes);
        var call = fixture.Channel.CreateCallInvoker().AsyncUnaryCall(generate, null, new CallOptions(), [0x0A, 0xFF, 0xFF, 0xFF]);
        var error = await Assert.ThrowsAsync<RpcException>(async () => await call);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(NodeErrorReasons.RequestUndecodable, NodeError.From(error).Reason);
    }
}
