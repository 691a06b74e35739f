using Grpc.Core;
using Grpc.Core.Interceptors;
using LlavaRad.Contracts;

namespace LlavaRad.Inference.Errors;

/// <summary>
/// The last line behind the handlers: refusals are built with <see cref="NodeFault"/> and pass through; any other
/// exception becomes INTERNAL (internal-error) with details instead of UNKNOWN "Exception was thrown by handler". The
/// detail text stays generic: exception messages may quote request content.
/// </summary>
public sealed partial class ErrorDetailsInterceptor(ILogger<ErrorDetailsInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (Translate(e, context) is { } coded)
        {
            throw coded;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (Translate(e, context) is { } coded)
        {
            throw coded;
        }
    }

    private RpcException? Translate(Exception e, ServerCallContext context)
    {
        switch (e)
        {
            case RpcException:
                return null;
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return null; // the client went away or its deadline passed; the framework reports that itself
            default:
                LogUnexpected(e, context.Method);
                return NodeFault.Create(StatusCode.Internal, NodeErrorReasons.InternalError, "the node failed on this request; see its log", []);
        }
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Error, Message = "Unexpected failure in {Method}")]
    private partial void LogUnexpected(Exception exception, string method);
}
