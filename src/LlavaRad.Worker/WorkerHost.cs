using LlavaRad.Contracts;
using LlavaRad.Worker.HealthChecks;
using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Options;
using LlavaRad.Worker.Pipeline;
using LlavaRad.Worker.Sources;
using LlavaRad.Worker.Telemetry;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker;

/// <summary>Builds the worker; Program runs it, tests host it in-process on a loopback port.</summary>
public static class WorkerHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.Configure<InferenceNodeClientOptions>(builder.Configuration.GetSection(InferenceNodeClientOptions.Section));
        builder.Services.AddSingleton(sp => new InferenceNodeClient(sp.GetRequiredService<IOptions<InferenceNodeClientOptions>>().Value));
        var health = builder.Services.AddHealthChecks().AddCheck<InferenceNodeHealthCheck>("inference-node", tags: [WorkerHealthRegistration.ReadyTag]);
        builder.Services.AddJobStore(builder.Configuration, health);
        health.AddWorkerReadinessChecks(builder.Configuration);
        builder.Services.AddValidatedWorkerOptions(builder.Configuration);
        builder.Services.AddWorkerTelemetry();
        // The pipeline registers the FHIR client; sources reuse it (registering it twice would stack its handlers).
        builder.Services.AddStudyPipeline(builder.Configuration);
        builder.Services.AddStudySources(builder.Configuration);
        builder.Services.AddNotificationRateLimit(builder.Configuration);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapWorkerEndpoints();
        return app;
    }
}
