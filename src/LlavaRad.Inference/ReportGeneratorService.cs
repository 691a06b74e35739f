using Grpc.Core;
using LlavaRad.Contracts.V1;

namespace LlavaRad.Inference;

/// <summary>The llavarad.v1.ReportGenerator endpoint.</summary>
public sealed class ReportGeneratorService(ModelHost host) : ReportGenerator.ReportGeneratorBase
{
    public override Task<ModelInfo> GetModelInfo(GetModelInfoRequest request, ServerCallContext context) =>
        Task.FromResult(RequireModel().ToModelInfo());

    // Generation arrives with the model architecture (issue 3) and the batching scheduler (issue 5).
    public override Task<GenerateResponse> Generate(GenerateRequest request, ServerCallContext context) =>
        throw NotYetServed(RequireModel());

    public override Task GenerateStream(GenerateRequest request, IServerStreamWriter<GenerateStreamResponse> responseStream,
        ServerCallContext context) => throw NotYetServed(RequireModel());

    private LoadedModel RequireModel() => host.Model ?? throw new RpcException(new Status(StatusCode.Unavailable,
        host.Failure is { } code ? $"model failed to load: {code}" : "model is still loading"));

    private static RpcException NotYetServed(LoadedModel model) => new(new Status(StatusCode.Unimplemented,
        $"text generation is not implemented in this node build yet (model {model.Identity.ModelId} is loaded)"));
}
