using LlavaRad.Worker.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace LlavaRad.IntegrationTests;

[Collection(PeersCollection.Name)]
public class PostgresTests(Peers peers)
{
    [Fact]
    public async Task JobStoreHealthCheckOpensARealConnection()
    {
        await using var dataSource = NpgsqlDataSource.Create(peers.PostgresConnection);
        var result = await new PostgresHealthCheck(dataSource).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.True((int)result.Data["server_version_num"] >= 150000);
    }

    [Fact]
    public async Task WrongPasswordIsUnhealthyNotAnException()
    {
        var wrong = new NpgsqlConnectionStringBuilder(peers.PostgresConnection) { Password = "not-the-password", Timeout = 5 };
        await using var dataSource = NpgsqlDataSource.Create(wrong.ConnectionString);
        var result = await new PostgresHealthCheck(dataSource).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("job-store-unreachable", result.Description);
    }
}
