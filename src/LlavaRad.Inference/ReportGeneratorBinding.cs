using Google.Protobuf;
using Grpc.Core;
using LlavaRad.Contracts;
using LlavaRad.Contracts.V1;
using LlavaRad.Inference.Errors;

namespace LlavaRad.Inference;

/// <summary>
/// The ReportGenerator methods as a base of their own: grpc-dotnet binds a service through the BindServiceMethod
/// attribute of the class that declares its virtual methods, so this class (not the generated base) carries ours.
/// </summary>
[BindServiceMethod(typeof(ReportGeneratorBinding), nameof(ReportGeneratorBinding.BindService))]
public abstract class StrictReportGeneratorBase
{
    public abstract Task<GenerateResponse> Generate(GenerateRequest request, ServerCallContext context);
    public abstract Task GenerateStream(GenerateRequest request, IServerStreamWriter<GenerateStreamResponse> responseStream, ServerCallContext context);
    public abstract Task<ModelInfo> GetModelInfo(GetModelInfoRequest request, ServerCallContext context);
}

/// <summary>
/// Binds <see cref="StrictReportGeneratorBase"/> like the generated code does, but with request parsers that answer an
/// undecodable body with INVALID_ARGUMENT (request-undecodable): grpc-dotnet parses before any interceptor runs, and
/// only an RpcException thrown by the marshaller keeps its status (anything else becomes UNKNOWN).
/// </summary>
public static class ReportGeneratorBinding
{
    /// <summary>Read by server reflection through the BindServiceMethod attribute.</summary>
    public static Google.Protobuf.Reflection.ServiceDescriptor Descriptor => ReportGenerator.Descriptor;

    /// <summary>The generated binder with null handlers: grpc-dotnet's binder finds the handlers on the service type itself.</summary>
    public static void BindService(ServiceBinderBase binder, StrictReportGeneratorBase? service) =>
        ReportGenerator.BindService(new StrictParsingBinder(binder), (ReportGenerator.ReportGeneratorBase?)null);

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
