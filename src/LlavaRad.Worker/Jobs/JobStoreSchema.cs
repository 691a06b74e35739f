using System.Data.Common;

namespace LlavaRad.Worker.Jobs;

/// <summary>Versioned schema migrations, applied in order once each, under a lock so several workers can start together.</summary>
public static class JobStoreSchema
{
    private static IReadOnlyList<string> Migrations(SqlDialect dialect) =>
    [
        // 1: the jobs table. Times are Unix milliseconds (UTC); order_key = enqueued_at - priority * step (aging).
        $"""
        CREATE TABLE jobs (
            id {dialect.IdColumn},
            job_key TEXT NOT NULL UNIQUE,
            study_instance_uid TEXT NOT NULL,
            priority INTEGER NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            enqueued_at BIGINT NOT NULL,
            order_key BIGINT NOT NULL,
            next_attempt_at BIGINT,
            lease_owner TEXT,
            lease_expires_at BIGINT,
            last_error TEXT,
            updated_at BIGINT NOT NULL
        );
        CREATE INDEX jobs_claimable ON jobs (state, order_key, id);
        """,
        // 2: where each event source has read up to (FHIR _lastUpdated, Orthanc /changes sequence, ...).
        """
        CREATE TABLE source_cursors (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at BIGINT NOT NULL
        );
        """,
        // 3: where the study was seen (fhir | dicomweb | folder + its reference), so the pipeline can resolve it.
        """
        ALTER TABLE jobs ADD COLUMN origin_kind TEXT;
        ALTER TABLE jobs ADD COLUMN origin_reference TEXT;
        """,
        // 4: a job's generated findings (PHI-bearing text; deleted when the job ends, see SqlJobStore.FinishAsync), so a
        // retry reuses them instead of running inference again; and each sink's delivery state, so it delivers only once.
        """
        CREATE TABLE job_findings (
            job_id BIGINT PRIMARY KEY,
            findings_text TEXT NOT NULL,
            token_logprobs TEXT NOT NULL,
            model_id TEXT NOT NULL,
            model_name TEXT NOT NULL,
            model_version TEXT NOT NULL,
            weights_sha256 TEXT NOT NULL,
            model_licence TEXT NOT NULL,
            research_use_acknowledged INTEGER NOT NULL,
            generated_at BIGINT NOT NULL
        );
        CREATE TABLE job_sinks (
            job_id BIGINT NOT NULL,
            sink TEXT NOT NULL,
            state TEXT NOT NULL,
            reason TEXT,
            attempts INTEGER NOT NULL,
            location TEXT,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (job_id, sink)
        );
        """,
    ];

    public static async Task MigrateAsync(SqlDialect dialect, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenConnection(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, transaction, dialect.MigrationLockStatement, cancellationToken);
        await Execute(connection, transaction,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)", cancellationToken);

        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
        var applied = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken));

        var migrations = Migrations(dialect);
        if (applied > migrations.Count)
            throw new InvalidOperationException($"job store schema is at version {applied}, newer than this worker knows ({migrations.Count})");
        for (var version = applied + 1; version <= migrations.Count; version++)
        {
            await Execute(connection, transaction, migrations[version - 1], cancellationToken);
            await Execute(connection, transaction,
                $"INSERT INTO schema_migrations (version, applied_at) VALUES ({version}, {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()})",
                cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task Execute(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(sql)) return;
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
