using LlavaRad.Contracts;
using LlavaRad.Worker.Configuration;
using LlavaRad.Worker.HealthChecks;
using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Listeners;
using LlavaRad.Worker.Options;
using LlavaRad.Worker.Pipeline;
using LlavaRad.Worker.Review;
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
        builder.Services.AddHostedService<StartupSettingsCheck>(); // first: every bad setting is reported at once
        builder.AddWorkerListeners();
        builder.Services.AddInferenceNodeClient(builder.Configuration);
        builder.Services.AddJobStore(builder.Configuration);
        builder.Services.AddWorkerTelemetry();
        var fhirConfigured = builder.Services.AddFhir(builder.Configuration);
        builder.Services.AddStudyPipeline(builder.Configuration, fhirConfigured);
        var sources = builder.Services.AddStudySources(builder.Configuration);
        builder.Services.AddHealthChecks().AddCheck<InferenceNodeHealthCheck>("inference-node", tags: [WorkerHealthRegistration.ReadyTag])
            .AddWorkerReadinessChecks(fhirConfigured, sources);
        builder.Services.AddNotificationRateLimit(builder.Configuration);
        builder.Services.AddWorkerReview(builder.Configuration, fhirConfigured);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapWorkerEndpoints();
        app.MapWorkerReview();
        return app;
    }
}
