using LlavaRad.Worker.Jobs;

namespace LlavaRad.Worker.Tests.Jobs;

public sealed class SqliteJobStoreTests : JobStoreContract, IDisposable
{
    private readonly TempDirectory _dir = new();

    protected override Task<SqlDialect> CreateDialectAsync() => Task.FromResult(JobStoreDialects.Sqlite(_dir.File("jobs.db")));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public async Task JobsSurviveReopeningTheFile()
    {
        await Store.EnqueueAsync(new JobRequest("1.2.3", "m", "p", JobPriority.Urgent));
        var reopened = new SqlJobStore(JobStoreDialects.Sqlite(_dir.File("jobs.db")), Options, Clock);
        await reopened.MigrateAsync();

        Assert.Equal(JobPriority.Urgent, (await reopened.FindAsync("1.2.3|m|p"))!.Priority);
    }

    /// <summary>A job store as the release before migration 4 left it: schema version 3, one job waiting to retry.</summary>
    private static async Task CreateVersion3StoreAsync(string path)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL);
            CREATE TABLE jobs (id INTEGER PRIMARY KEY, job_key TEXT NOT NULL UNIQUE, study_instance_uid TEXT NOT NULL,
                priority INTEGER NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, enqueued_at BIGINT NOT NULL,
                order_key BIGINT NOT NULL, next_attempt_at BIGINT, lease_owner TEXT, lease_expires_at BIGINT, last_error TEXT,
                updated_at BIGINT NOT NULL);
            CREATE INDEX jobs_claimable ON jobs (state, order_key, id);
            CREATE TABLE source_cursors (name TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at BIGINT NOT NULL);
            ALTER TABLE jobs ADD COLUMN origin_kind TEXT;
            ALTER TABLE jobs ADD COLUMN origin_reference TEXT;
            INSERT INTO schema_migrations VALUES (1, 0), (2, 0), (3, 0);
            INSERT INTO jobs (job_key, study_instance_uid, priority, state, attempts, enqueued_at, order_key, updated_at, last_error,
                              origin_kind, origin_reference)
            VALUES ('1.2.3|m|p', '1.2.3', 0, 'retrying', 1, 0, 0, 0, 'sr-store-failed: timeout', 'folder', '/incoming/1');
            """;
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task AVersion3StoreMigratesKeepingItsJobsAndGainsFindingsAndSinkStates()
    {
        var path = _dir.File("v3.db");
        await CreateVersion3StoreAsync(path);
        var dialect = JobStoreDialects.Sqlite(path);
        Assert.Empty(await new JobQueries(dialect).SinksAsync([1])); // an operator listing before the worker migrated

        var store = new SqlJobStore(dialect, Options, Clock);
        await store.MigrateAsync();

        var job = (await store.FindAsync("1.2.3|m|p"))!;
        Assert.Equal((JobState.Retrying, "sr-store-failed: timeout", "/incoming/1"), (job.State, job.LastError, job.Origin?.Reference));
        await store.RecordSinkAsync(job.Id, SinkNames.Fhir, SinkState.Delivered, null, "DiagnosticReport/7");
        await store.SaveFindingsAsync(job.Id, new JobFindings("Clear lungs.", [], new LlavaRad.Fhir.WriteBack.ModelIdentity("m", "n", "v", "w"), Clock.GetUtcNow()));
        Assert.Equal(SinkNames.Fhir, Assert.Single((await new JobQueries(dialect).SinksAsync([job.Id]))[job.Id]).Sink);
        Assert.Equal("Clear lungs.", (await store.FindFindingsAsync(job.Id))!.Text);
        await using var connection = await dialect.OpenConnection(default);
        await using var version = connection.CreateCommand();
        version.CommandText = "SELECT MAX(version) FROM schema_migrations";
        Assert.Equal(4L, await version.ExecuteScalarAsync());
    }
}
