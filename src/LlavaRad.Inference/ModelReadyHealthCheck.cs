using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlavaRad.Inference;

/// <summary>Maps to grpc.health.v1 and /health/ready: SERVING only once the model is loaded and warm, and not while shutting down.</summary>
public sealed class ModelReadyHealthCheck(ModelHost host) : IHealthCheck
{
    public const string Tag = "model";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(host switch
        {
            { Stopping: true } => HealthCheckResult.Unhealthy("node-stopping"),
            { Model: not null } => HealthCheckResult.Healthy("model loaded"),
            { Failure: { } code } => HealthCheckResult.Unhealthy($"model failed to load: {code}"),
            _ => HealthCheckResult.Unhealthy("model loading"),
        });
}
