using LlavaRad.Contracts;
using LlavaRad.Inference.Errors;
using LlavaRad.Inference.Observability;
using LlavaRad.Inference.Security;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace LlavaRad.Inference;

/// <summary>Builds the node's web application; Program runs it, tests host it in-process on a loopback port.</summary>
public static class InferenceNode
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var options = builder.Configuration.GetSection(InferenceNodeOptions.Section).Get<InferenceNodeOptions>() ?? new();
        var grpcUrls = (builder.Configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries);

        var tlsRefusals = new TlsRefusals(TimeProvider.System);
        // gRPC needs HTTP/2; without TLS that means prior-knowledge h2c only.
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http2);
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes;
            var https = KestrelTls.Https(options.Tls, tlsRefusals);
            if (options.ObservabilityUrl.Length > 0 || https is not null) NodeEndpoints.Listen(kestrel, grpcUrls, options.ObservabilityUrl, https);
        });
        RequireHttpsWhenTlsIsConfigured(grpcUrls, options.Tls);
        builder.Services.AddOptions<InferenceNodeOptions>().Bind(builder.Configuration.GetSection(InferenceNodeOptions.Section))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<InferenceNodeOptions>, InferenceNodeOptionsValidator>();
        // The host must wait for the drain: grace plus a margin for the transport to finish writing.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownGrace + TimeSpan.FromSeconds(10));
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = options.MaxRequestBytes;
            grpc.EnableDetailedErrors = false;
            grpc.Interceptors.Add<ErrorDetailsInterceptor>();
        });
        builder.Services.AddGrpcReflection();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(tlsRefusals);
        builder.Services.AddSingleton<ModelHost>();
        builder.Services.AddSingleton<GenerationScheduler>();
        builder.Services.AddSingleton<RequestImage>();
        builder.Services.AddHostedService<ModelLoadingService>();
        builder.Services.AddHostedService<GracefulShutdownService>();
        builder.Services.AddGrpcHealthChecks(health =>
                health.Services.Map(ServiceNames.ReportGenerator, result => result.Tags.Contains(ModelReadyHealthCheck.Tag)))
            .AddCheck<ModelReadyHealthCheck>("model", tags: [ModelReadyHealthCheck.Tag]);
        ObservabilityRoutes.AddMetrics(builder.Services);
        configure?.Invoke(builder);

        var app = builder.Build();
        tlsRefusals.Attach(app.Services.GetRequiredService<ILogger<TlsRefusals>>());
        app.UseListenerScopes(NodeEndpoints.Grpc);
        app.MapGrpcService<ReportGeneratorService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        if (options.ObservabilityUrl.Length > 0) ObservabilityRoutes.Map(app);
        return app;
    }

    // A configured certificate with a plain http:// URL would silently serve patient images unencrypted.
    private static void RequireHttpsWhenTlsIsConfigured(string[] urls, NodeTlsOptions tls)
    {
        var plain = urls.FirstOrDefault(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
        if (tls.Enabled && plain is not null)
            throw new InvalidOperationException($"Inference:Tls is configured but the node would listen on plain {plain}; use https://");
    }
}
