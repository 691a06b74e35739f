using LlavaRad.Worker.Jobs;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlavaRad.Worker.HealthChecks;

/// <summary>Healthy when the embedded job store opens and answers a query on its jobs table.</summary>
public sealed class SqlJobStoreHealthCheck(SqlDialect dialect) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await dialect.OpenConnection(cancellationToken);
            await using var command = SqlCommands.Create(connection, "SELECT COUNT(*) FROM schema_migrations");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{dialect.Name} job store answers");
        }
        catch (Exception e) when (e is System.Data.Common.DbException or IOException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("job-store-unreachable", e);
        }
    }
}
