using LlavaRad.Inference.Security;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace LlavaRad.Inference;

/// <summary>Builds the node's web application; Program runs it, tests host it in-process on a loopback port.</summary>
public static class InferenceNode
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var options = builder.Configuration.GetSection(InferenceNodeOptions.Section).Get<InferenceNodeOptions>() ?? new();

        // gRPC needs HTTP/2; without TLS that means prior-knowledge h2c only.
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http2);
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes;
            KestrelTls.Configure(kestrel, options.Tls);
        });
        RequireHttpsWhenTlsIsConfigured(builder.Configuration, options.Tls);
        builder.Services.AddOptions<InferenceNodeOptions>().Bind(builder.Configuration.GetSection(InferenceNodeOptions.Section));
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = options.MaxRequestBytes;
            grpc.EnableDetailedErrors = false;
        });
        builder.Services.AddSingleton<ModelHost>();
        builder.Services.AddSingleton(sp => new GenerationGate(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<InferenceNodeOptions>>().Value.Queue, TimeProvider.System));
        builder.Services.AddHostedService<ModelLoadingService>();
        builder.Services.AddGrpcHealthChecks(health =>
                health.Services.Map(ServiceNames.ReportGenerator, result => result.Tags.Contains(ModelReadyHealthCheck.Tag)))
            .AddCheck<ModelReadyHealthCheck>("model", tags: [ModelReadyHealthCheck.Tag]);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapGrpcService<ReportGeneratorService>();
        app.MapGrpcHealthChecksService();
        return app;
    }

    // A configured certificate with a plain http:// URL would silently serve patient images unencrypted.
    private static void RequireHttpsWhenTlsIsConfigured(IConfiguration configuration, NodeTlsOptions tls)
    {
        var urls = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries);
        var plain = urls.FirstOrDefault(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
        if (tls.Enabled && plain is not null)
            throw new InvalidOperationException($"Inference:Tls is configured but the node would listen on plain {plain}; use https://");
    }
}
