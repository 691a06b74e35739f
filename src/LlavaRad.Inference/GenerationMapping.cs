using Google.Protobuf.WellKnownTypes;
using LlavaRad.Contracts;
using LlavaRad.Contracts.V1;
using LlavaRad.Inference.Errors;
using ModelGeneration = LlavaRad.Model.Generation;

namespace LlavaRad.Inference;

/// <summary>Between the wire contract (llavarad.v1) and the model library's generation types; nothing sent is silently changed.</summary>
public static class GenerationMapping
{
    public const int DefaultMaxNewTokens = 256;

    /// <summary>
    /// The wire options checked as sent: 0 keeps its documented "node default" meaning (max_new_tokens: 256 or what
    /// still fits; top_p: no truncation), every other out-of-range value is INVALID_ARGUMENT quoting it.
    /// </summary>
    public static ModelGeneration.GenerationOptions ToModelOptions(GenerationOptions? wire, PromptBudget budget, int promptPositions)
    {
        var fits = budget.PositionLimit - promptPositions;
        var requested = wire?.MaxNewTokens ?? 0;
        if (fits < 1 || requested > fits)
            throw NodeFault.InvalidArgument(NodeErrorReasons.RequestTooLong,
                $"max_new_tokens {requested} does not fit: the prompt takes {promptPositions} of {budget.PositionLimit} positions, leaving {Math.Max(fits, 0)}",
                ("max_new_tokens", requested), ("prompt_tokens", promptPositions), ("max_context", budget.PositionLimit),
                ("largest_max_new_tokens", Math.Max(fits, 0)));
        var options = new ModelGeneration.GenerationOptions
        {
            MaxNewTokens = requested > 0 ? (int)requested : Math.Min(DefaultMaxNewTokens, fits),
            Temperature = wire?.Temperature ?? 0,
            TopP = wire is null || wire.TopP == 0 ? 1.0 : wire.TopP,
            Seed = wire?.HasSeed == true ? wire.Seed : (ulong)Random.Shared.NextInt64(),
            StopStrings = wire?.Stop.ToList() ?? [],
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            var field = WireName(e.ParamName);
            throw NodeFault.InvalidArgument(NodeErrorReasons.OptionsInvalid, e.Message.Split(" (Parameter")[0], ("field", field), ("value", SentValue(wire, field)));
        }
        return options;
    }

    private static string WireName(string? parameter) => parameter switch
    {
        nameof(ModelGeneration.GenerationOptions.TopP) => "top_p",
        nameof(ModelGeneration.GenerationOptions.Temperature) => "temperature",
        nameof(ModelGeneration.GenerationOptions.StopStrings) => "stop",
        _ => "max_new_tokens",
    };

    private static object SentValue(GenerationOptions? wire, string field) => field switch
    {
        "top_p" => wire?.TopP ?? 0,
        "temperature" => wire?.Temperature ?? 0,
        "stop" => wire?.Stop.Count ?? 0,
        _ => wire?.MaxNewTokens ?? 0,
    };

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
