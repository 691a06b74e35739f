using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using LlavaRad.Contracts.V1;
using ModelGeneration = LlavaRad.Model.Generation;

namespace LlavaRad.Inference;

/// <summary>Between the wire contract (llavarad.v1) and the model library's generation types.</summary>
public static class GenerationMapping
{
    public const int DefaultMaxNewTokens = 256;

    public static ModelGeneration.GenerationOptions ToModelOptions(GenerationOptions? wire, int maxContext)
    {
        var options = new ModelGeneration.GenerationOptions
        {
            MaxNewTokens = (int)Math.Min(wire?.MaxNewTokens is > 0 ? wire.MaxNewTokens : DefaultMaxNewTokens, (uint)maxContext),
            Temperature = wire?.Temperature ?? 0,
            TopP = wire?.TopP is > 0 and <= 1 ? wire.TopP : 1.0,
            Seed = wire?.HasSeed == true ? wire.Seed : (ulong)Random.Shared.NextInt64(),
            StopStrings = wire?.Stop.ToList() ?? [],
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"options-invalid: {e.Message}"));
        }
        return options;
    }

    public static GenerateResponse ToResponse(string requestId, ModelGeneration.GenerationResult result, TimeSpan queued, ModelIdentity model) => new()
    {
        RequestId = requestId,
        Text = result.Text,
        TokenIds = { result.TokenIds },
        TokenLogprobs = { result.Logprobs },
        FinishReason = result.FinishReason switch
        {
            ModelGeneration.FinishReason.Eos => FinishReason.Eos,
            ModelGeneration.FinishReason.Length => FinishReason.Length,
            ModelGeneration.FinishReason.Stop => FinishReason.Stop,
            _ => FinishReason.Cancelled,
        },
        Timings = new Timings
        {
            Queue = Duration.FromTimeSpan(queued),
            Vision = Duration.FromTimeSpan(result.Timings.Vision),
            Prefill = Duration.FromTimeSpan(result.Timings.Prefill),
            Decode = Duration.FromTimeSpan(result.Timings.Decode),
        },
        Model = model,
    };
}
