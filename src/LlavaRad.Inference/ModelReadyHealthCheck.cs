using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlavaRad.Inference;

/// <summary>Maps to grpc.health.v1: SERVING only once the model is loaded.</summary>
public sealed class ModelReadyHealthCheck(ModelHost host) : IHealthCheck
{
    public const string Tag = "model";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(host switch
        {
            { Model: not null } => HealthCheckResult.Healthy("model loaded"),
            { Failure: { } code } => HealthCheckResult.Unhealthy($"model failed to load: {code}"),
            _ => HealthCheckResult.Unhealthy("model loading"),
        });
}
