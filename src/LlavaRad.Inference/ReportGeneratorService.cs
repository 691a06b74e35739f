using System.Threading.Channels;
using Grpc.Core;
using LlavaRad.Contracts;
using LlavaRad.Contracts.V1;
using LlavaRad.Inference.Errors;
using TorchSharp;
using ModelGeneration = LlavaRad.Model.Generation;

namespace LlavaRad.Inference;

/// <summary>
/// The llavarad.v1.ReportGenerator endpoint over the continuous batcher. The call's deadline or cancellation takes
/// the request out of the queue, or out of the running batch at the next step. Cheap checks (model, priority,
/// options) run before the image is decoded.
/// </summary>
public sealed class ReportGeneratorService(ModelHost host, GenerationScheduler scheduler, RequestImage images) : StrictReportGeneratorBase
{
    public override Task<ModelInfo> GetModelInfo(GetModelInfoRequest request, ServerCallContext context) =>
        Task.FromResult(RequireModel().ToModelInfo());

    public override async Task<GenerateResponse> Generate(GenerateRequest request, ServerCallContext context)
    {
        using var prepared = await PrepareAsync(request, context.CancellationToken);
        var result = await scheduler.GenerateAsync(prepared.Pixels, prepared.PromptIds, request.Priority, prepared.Options, onToken: null, context.CancellationToken);
        return GenerationMapping.ToResponse(request.RequestId, result, result.Timings.Queue, prepared.Loaded.Identity);
    }

    public override async Task GenerateStream(GenerateRequest request, IServerStreamWriter<GenerateStreamResponse> responseStream,
        ServerCallContext context)
    {
        using var prepared = await PrepareAsync(request, context.CancellationToken);
        // The batch loop produces tokens; this call writes them, one awaited write at a time.
        var tokens = Channel.CreateUnbounded<ModelGeneration.GeneratedToken>(new UnboundedChannelOptions { SingleReader = true });
        var generation = scheduler.GenerateAsync(prepared.Pixels, prepared.PromptIds, request.Priority, prepared.Options,
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
            Result = GenerationMapping.ToResponse(request.RequestId, result, result.Timings.Queue, prepared.Loaded.Identity),
        }, context.CancellationToken);
    }

    private sealed record Prepared(LoadedModel Loaded, torch.Tensor Pixels, List<long> PromptIds, ModelGeneration.GenerationOptions Options) : IDisposable
    {
        public void Dispose() => Pixels.Dispose();
    }

    private async Task<Prepared> PrepareAsync(GenerateRequest request, CancellationToken cancellationToken)
    {
        if (scheduler.Stopping) throw NodeFault.Unavailable(NodeErrorReasons.NodeStopping, "the node is shutting down");
        var loaded = RequireModel();
        GenerationScheduler.Level(request.Priority);
        var promptIds = loaded.Model.PromptIds(request.Indication);
        var options = GenerationMapping.ToModelOptions(request.Options, loaded.Budget, loaded.Budget.PromptPositions(promptIds));
        var pixels = await images.ToModelInputAsync(request, loaded.Directory.Config, cancellationToken);
        // Only the small model input is needed from here on: a request waiting in the queue should not keep its
        // up to 32 MiB of encoded pixels alive.
        request.Images.Clear();
        return new Prepared(loaded, pixels, promptIds, options);
    }

    private LoadedModel RequireModel() => host.Model ?? throw (host.Failure is { } code
        ? NodeFault.Unavailable(NodeErrorReasons.ModelFailed, $"the model failed to load ({code}); use another node", ("model_error", code))
        : NodeFault.Create(StatusCode.Unavailable, NodeErrorReasons.ModelLoading, "the model is still loading", [], TimeSpan.FromSeconds(5)));
}
