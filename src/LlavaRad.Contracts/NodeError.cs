using Google.Rpc;
using Grpc.Core;

namespace LlavaRad.Contracts;

/// <summary>
/// The coded reasons the node puts in a google.rpc.ErrorInfo (domain <see cref="Domain"/>) on every non-OK status;
/// protos/llavarad/v1/report_generator.proto lists them with their status codes and metadata.
/// </summary>
public static class NodeErrorReasons
{
    public const string Domain = "llavarad.v1";
    public const string ImageInvalid = "image-invalid";
    public const string ImageTooLarge = "image-too-large";
    public const string OptionsInvalid = "options-invalid";
    public const string PriorityInvalid = "priority-invalid";
    public const string RequestTooLong = "request-too-long";
    public const string RequestUndecodable = "request-undecodable";
    public const string QueueFull = "queue-full";
    public const string NodeStopping = "node-stopping";
    public const string ModelLoading = "model-loading";
    public const string ModelFailed = "model-failed";
    public const string InternalError = "internal-error";
}

/// <summary>What a client can act on from a node's non-OK status: the coded reason, its limits, and when to retry.</summary>
public sealed record NodeError(StatusCode Status, string? Reason, IReadOnlyDictionary<string, string> Metadata, TimeSpan? RetryDelay)
{
    /// <summary>Reads ErrorInfo and RetryInfo from the trailers; an older node's "reason: detail" text is the fallback.</summary>
    public static NodeError From(RpcException error)
    {
        var status = error.GetRpcStatus();
        var info = status?.GetDetail<ErrorInfo>();
        var retry = status?.GetDetail<RetryInfo>()?.RetryDelay?.ToTimeSpan();
        if (info is { Domain: NodeErrorReasons.Domain })
            return new NodeError(error.StatusCode, info.Reason, info.Metadata.ToDictionary(), retry);
        return new NodeError(error.StatusCode, ReasonFromText(error.Status.Detail), new Dictionary<string, string>(), retry);
    }

    // Nodes before ErrorInfo wrote "image-invalid: ..."; a kebab-case word before the colon is that reason.
    private static string? ReasonFromText(string detail)
    {
        var colon = detail.IndexOf(':');
        if (colon <= 0) return null;
        var word = detail[..colon];
        return word.All(c => c is >= 'a' and <= 'z' or '-') ? word : null;
    }
}
