using System.Threading.Channels;
using Grpc.Core;
using LlavaRad.Contracts.V1;
using ModelGeneration = LlavaRad.Model.Generation;

namespace LlavaRad.Inference;

/// <summary>
/// The llavarad.v1.ReportGenerator endpoint over the continuous batcher. The call's deadline or cancellation takes
/// the request out of the queue, or out of the running batch at the next step.
/// </summary>
public sealed class ReportGeneratorService(ModelHost host, GenerationScheduler scheduler) : ReportGenerator.ReportGeneratorBase
{
    public override Task<ModelInfo> GetModelInfo(GetModelInfoRequest request, ServerCallContext context) =>
        Task.FromResult(RequireModel().ToModelInfo());

    public override async Task<GenerateResponse> Generate(GenerateRequest request, ServerCallContext context)
    {
        var (loaded, image, options) = Prepare(request);
        var result = await scheduler.GenerateAsync(loaded, image, request.Indication, request.Priority, options, onToken: null, context.CancellationToken);
        return GenerationMapping.ToResponse(request.RequestId, result, result.Timings.Queue, loaded.Identity);
    }

    public override async Task GenerateStream(GenerateRequest request, IServerStreamWriter<GenerateStreamResponse> responseStream,
        ServerCallContext context)
    {
        var (loaded, image, options) = Prepare(request);
        // The batch loop produces tokens; this call writes them, one awaited write at a time.
        var tokens = Channel.CreateUnbounded<ModelGeneration.GeneratedToken>(new UnboundedChannelOptions { SingleReader = true });
        var generation = scheduler.GenerateAsync(loaded, image, request.Indication, request.Priority, options,
            t => tokens.Writer.TryWrite(t), context.CancellationToken);
        // However the request ends (result, refusal, cancellation), end the token stream so the outcome surfaces.
        _ = generation.ContinueWith(_ => tokens.Writer.TryComplete(), TaskScheduler.Default);

        await foreach (var token in tokens.Reader.ReadAllAsync(context.CancellationToken))
        {
            var delta = new TextDelta { Text = token.TextDelta, TokenIds = { token.Id }, TokenLogprobs = { token.Logprob } };
            await responseStream.WriteAsync(new GenerateStreamResponse { Delta = delta }, context.CancellationToken);
        }
        var result = await generation;
        await responseStream.WriteAsync(new GenerateStreamResponse
        {
            Result = GenerationMapping.ToResponse(request.RequestId, result, result.Timings.Queue, loaded.Identity),
        }, context.CancellationToken);
    }

    private (LoadedModel Loaded, LlavaRad.Model.Preprocessing.PixelImage Image, ModelGeneration.GenerationOptions Options) Prepare(GenerateRequest request)
    {
        if (scheduler.Stopping) throw new RpcException(new Status(StatusCode.Unavailable, $"{GenerationScheduler.NodeStopping}: the node is shutting down"));
        var loaded = RequireModel();
        var image = RequestImage.From(request);
        var options = GenerationMapping.ToModelOptions(request.Options, loaded.Directory.Config.TextConfig.MaxPositionEmbeddings);
        return (loaded, image, options);
    }

    private LoadedModel RequireModel() => host.Model ?? throw new RpcException(new Status(StatusCode.Unavailable,
        host.Failure is { } code ? $"model failed to load: {code}" : "model-loading: the model is still loading"));
}
