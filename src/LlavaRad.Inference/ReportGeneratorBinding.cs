using Google.Protobuf;
using Grpc.Core;
using LlavaRad.Contracts;
using LlavaRad.Contracts.V1;
using LlavaRad.Inference.Errors;

namespace LlavaRad.Inference;

/// <summary>
/// Binds <see cref="ReportGeneratorService"/> like the generated code does, but with request parsers that answer an
/// undecodable body with INVALID_ARGUMENT (request-undecodable): grpc-dotnet parses before any interceptor runs, and
/// only an RpcException thrown by the marshaller keeps its status (anything else becomes UNKNOWN).
/// </summary>
public static class ReportGeneratorBinding
{
    /// <summary>Read by server reflection through the BindServiceMethod attribute.</summary>
    public static Google.Protobuf.Reflection.ServiceDescriptor Descriptor => ReportGenerator.Descriptor;

    public static void BindService(ServiceBinderBase binder, ReportGeneratorService? service) =>
        ReportGenerator.BindService(new StrictParsingBinder(binder), service);

    private sealed class StrictParsingBinder(ServiceBinderBase inner) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(Strict(method), handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(Strict(method), handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(Strict(method), handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(Strict(method), handler);
    }

    private static Method<TRequest, TResponse> Strict<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class where TResponse : class
    {
        var parse = method.RequestMarshaller.ContextualDeserializer;
        var request = Marshallers.Create(method.RequestMarshaller.ContextualSerializer, context =>
        {
            try
            {
                return parse(context);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw NodeFault.InvalidArgument(NodeErrorReasons.RequestUndecodable,
                    $"the body is not a valid {typeof(TRequest).Name}: {e.Message}", ("method", method.Name));
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, request, method.ResponseMarshaller);
    }
}
