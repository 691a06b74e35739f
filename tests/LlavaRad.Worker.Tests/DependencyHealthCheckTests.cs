using LlavaRad.Contracts;
using LlavaRad.Worker.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace LlavaRad.Worker.Tests;

public class DependencyHealthCheckTests
{
    [Fact]
    public async Task JobStoreThatRefusesConnectionsIsUnhealthyWithItsCode()
    {
        await using var dataSource = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={ClosedPort.Next()};Username=x;Password=y;Timeout=3");
        var result = await new PostgresHealthCheck(dataSource).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("job-store-unreachable", result.Description);
    }

    [Fact]
    public async Task InferenceNodeThatIsDownIsDegradedNotUnhealthy()
    {
        using var client = new InferenceNodeClient(new InferenceNodeClientOptions
        {
            Address = new Uri($"http://127.0.0.1:{ClosedPort.Next()}"), CallTimeout = TimeSpan.FromSeconds(2),
        });
        var result = await new InferenceNodeHealthCheck(client).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, result.Status);
    }
}
