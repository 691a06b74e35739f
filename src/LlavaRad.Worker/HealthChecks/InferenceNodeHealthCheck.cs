using LlavaRad.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlavaRad.Worker.HealthChecks;

/// <summary>Degraded (not unhealthy) when the GPU node is down: jobs wait and retry, the worker itself is fine.</summary>
public sealed class InferenceNodeHealthCheck(InferenceNodeClient node) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await node.IsServingAsync(cancellationToken)
            ? HealthCheckResult.Healthy("inference node serving")
            : HealthCheckResult.Degraded("inference-node-unavailable");
}
