using System.Threading.Channels;
using Grpc.Core;
using LlavaRad.Contracts.V1;
using ModelGeneration = LlavaRad.Model.Generation;

namespace LlavaRad.Inference;

/// <summary>The llavarad.v1.ReportGenerator endpoint. The call's deadline or cancellation stops the decode.</summary>
public sealed class ReportGeneratorService(ModelHost host, GenerationGate gate) : ReportGenerator.ReportGeneratorBase
{
    public override Task<ModelInfo> GetModelInfo(GetModelInfoRequest request, ServerCallContext context) =>
        Task.FromResult(RequireModel().ToModelInfo());

    public override async Task<GenerateResponse> Generate(GenerateRequest request, ServerCallContext context)
    {
        var (loaded, image, options) = Prepare(request);
        var (result, queued) = await gate.RunAsync(request.Priority,
            () => loaded.Model.Generate(image, request.Indication, options, cancellationToken: context.CancellationToken),
            context.CancellationToken);
        return GenerationMapping.ToResponse(request.RequestId, result, queued, loaded.Identity);
    }

    public override async Task GenerateStream(GenerateRequest request, IServerStreamWriter<GenerateStreamResponse> responseStream,
        ServerCallContext context)
    {
        var (loaded, image, options) = Prepare(request);
        // The decode thread produces tokens; this call writes them, one awaited write at a time.
        var tokens = Channel.CreateUnbounded<ModelGeneration.GeneratedToken>(new UnboundedChannelOptions { SingleReader = true });
        var generation = gate.RunAsync(request.Priority, () =>
        {
            try
            {
                return loaded.Model.Generate(image, request.Indication, options, t => tokens.Writer.TryWrite(t), context.CancellationToken);
            }
            finally
            {
                tokens.Writer.Complete();
            }
        }, context.CancellationToken);
        // If the request never ran (queue full, cancelled while waiting), end the token stream so the error surfaces.
        _ = generation.ContinueWith(_ => tokens.Writer.TryComplete(), TaskScheduler.Default);

        await foreach (var token in tokens.Reader.ReadAllAsync(context.CancellationToken))
        {
            var delta = new TextDelta { Text = token.TextDelta, TokenIds = { token.Id }, TokenLogprobs = { token.Logprob } };
            await responseStream.WriteAsync(new GenerateStreamResponse { Delta = delta }, context.CancellationToken);
        }
        var (result, queued) = await generation;
        await responseStream.WriteAsync(new GenerateStreamResponse
        {
            Result = GenerationMapping.ToResponse(request.RequestId, result, queued, loaded.Identity),
        }, context.CancellationToken);
    }

    private (LoadedModel Loaded, LlavaRad.Model.Preprocessing.PixelImage Image, ModelGeneration.GenerationOptions Options) Prepare(GenerateRequest request)
    {
        var loaded = RequireModel();
        var image = RequestImage.From(request);
        var options = GenerationMapping.ToModelOptions(request.Options, loaded.Directory.Config.TextConfig.MaxPositionEmbeddings);
        return (loaded, image, options);
    }

    private LoadedModel RequireModel() => host.Model ?? throw new RpcException(new Status(StatusCode.Unavailable,
        host.Failure is { } code ? $"model failed to load: {code}" : "model is still loading"));
}
