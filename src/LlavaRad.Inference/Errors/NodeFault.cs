using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using LlavaRad.Contracts;
using Status = Google.Rpc.Status;

namespace LlavaRad.Inference.Errors;

/// <summary>
/// Builds every refusal the node sends: the status code, a "reason: detail" message (what older clients parse), and
/// google.rpc.Status details with an ErrorInfo (reason, domain llavarad.v1, the limits as metadata) plus a RetryInfo
/// for the retryable codes, RESOURCE_EXHAUSTED and UNAVAILABLE.
/// </summary>
public static class NodeFault
{
    /// <summary>How long a client should wait before retrying a busy or unavailable node when the reason gives no better figure.</summary>
    public static readonly TimeSpan DefaultRetryDelay = TimeSpan.FromSeconds(1);

    public static RpcException InvalidArgument(string reason, string detail, params (string Key, object Value)[] metadata) =>
        Create(StatusCode.InvalidArgument, reason, detail, metadata);

    public static RpcException Unavailable(string reason, string detail, params (string Key, object Value)[] metadata) =>
        Create(StatusCode.Unavailable, reason, detail, metadata);

    public static RpcException Create(StatusCode code, string reason, string detail, (string Key, object Value)[] metadata, TimeSpan? retryDelay = null)
    {
        var info = new ErrorInfo { Reason = reason, Domain = NodeErrorReasons.Domain };
        foreach (var (key, value) in metadata) info.Metadata[key] = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        var status = new Status { Code = (int)code, Message = $"{reason}: {detail}", Details = { Any.Pack(info) } };
        if (code is StatusCode.ResourceExhausted or StatusCode.Unavailable)
            status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryDelay ?? DefaultRetryDelay) }));
        return status.ToRpcException();
    }
}
