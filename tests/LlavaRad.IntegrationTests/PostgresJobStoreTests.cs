using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Tests.Jobs;
using Npgsql;

namespace LlavaRad.IntegrationTests;

/// <summary>The job store contract on real PostgreSQL, each test in a schema of its own; plus concurrent claimers.</summary>
[Collection(PeersCollection.Name)]
public sealed class PostgresJobStoreTests(Peers peers) : JobStoreContract
{
    private readonly string _schema = $"jobs_test_{Guid.NewGuid():N}";
    private NpgsqlDataSource? _dataSource;

    protected override async Task<SqlDialect> CreateDialectAsync()
    {
        await using (var admin = NpgsqlDataSource.Create(peers.PostgresConnection))
        await using (var create = admin.CreateCommand($"CREATE SCHEMA {_schema}"))
            await create.ExecuteNonQueryAsync();
        _dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(peers.PostgresConnection) { SearchPath = _schema }.ConnectionString);
        return JobStoreDialects.Postgres(_dataSource);
    }

    public override async Task DisposeAsync()
    {
        if (_dataSource is not null) await _dataSource.DisposeAsync();
        await using var admin = NpgsqlDataSource.Create(peers.PostgresConnection);
        await using var drop = admin.CreateCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE");
        await drop.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task FourWorkersClaimingAtOnceTakeEveryJobExactlyOnce()
    {
        const int jobs = 60;
        for (var i = 0; i < jobs; i++) await Store.EnqueueAsync(new JobRequest($"1.2.{i}", "m", "p", (JobPriority)(i % 3)));
        var claimed = new System.Collections.Concurrent.ConcurrentBag<long>();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            while (await Store.ClaimNextAsync($"worker-{w}") is { } job)
            {
                claimed.Add(job.Id);
                await Store.SucceedAsync(job);
            }
        })));

        Assert.Equal(jobs, claimed.Count);
        Assert.Equal(jobs, claimed.Distinct().Count());
        Assert.Equal(jobs, (await Store.CountByStateAsync())[JobState.Succeeded]);
    }

    [Fact]
    public async Task WorkersStartingTogetherMigrateOnce()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => new SqlJobStore(JobStoreDialects.Postgres(_dataSource!), Options, Clock));
        await Task.WhenAll(stores.Select(s => s.MigrateAsync()));

        // No worker failed on a half-applied schema, and every version was applied exactly once.
        await using var versions = _dataSource!.CreateCommand("SELECT COUNT(*) = MAX(version) AND MIN(version) = 1 FROM schema_migrations");
        Assert.Equal(true, await versions.ExecuteScalarAsync());
    }
}
