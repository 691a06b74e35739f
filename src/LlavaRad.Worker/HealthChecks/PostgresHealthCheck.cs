using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace LlavaRad.Worker.HealthChecks;

/// <summary>Healthy when the job database accepts a connection and answers a trivial query.</summary>
public sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand("select current_setting('server_version_num')::int", connection);
            var version = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
            return HealthCheckResult.Healthy($"PostgreSQL {version / 10000}",
                new Dictionary<string, object> { ["server_version_num"] = version });
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("job-store-unreachable", e);
        }
    }
}
