using System.Data.Common;

namespace LlavaRad.Worker.Jobs;

/// <summary>
/// Read-only views of the jobs table for operators (the `llavarad jobs` listing) and metrics (queue depth).
/// Kept apart from <see cref="IJobStore"/>, which is the pipeline's contract.
/// </summary>
public sealed class JobQueries(SqlDialect dialect)
{
    private const string Columns =
        "id, study_instance_uid, priority, state, attempts, enqueued_at, next_attempt_at, last_error, updated_at";

    public async Task<IReadOnlyDictionary<(JobPriority Priority, JobState State), int>> CountByPriorityAndStateAsync(
        CancellationToken cancellationToken = default)
    {
        var counts = new Dictionary<(JobPriority, JobState), int>();
        await using var connection = await dialect.OpenConnection(cancellationToken);
        await using var command = SqlCommands.Create(connection, "SELECT priority, state, COUNT(*) FROM jobs GROUP BY priority, state");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            counts[((JobPriority)Convert.ToInt32(reader.GetValue(0)), JobStateNames.Parse(reader.GetString(1)))] = Convert.ToInt32(reader.GetValue(2));
        return counts;
    }

    public async Task<JobSummary?> FindAsync(long id, CancellationToken cancellationToken = default) =>
        await SqlCommands.QuerySingleAsync(dialect, $"SELECT {Columns} FROM jobs WHERE id = @id", Read, cancellationToken, ("id", id));

    /// <summary>Newest first; optionally one state and one study.</summary>
    public async Task<IReadOnlyList<JobSummary>> ListAsync(JobState? state = null, string? studyInstanceUid = null, int limit = 100,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenConnection(cancellationToken);
        await using var command = SqlCommands.Create(connection, $"""
            SELECT {Columns} FROM jobs
            WHERE (@state IS NULL OR state = @state) AND (@study IS NULL OR study_instance_uid = @study)
            ORDER BY id DESC LIMIT @limit
            """, ("state", state?.ToText()), ("study", studyInstanceUid), ("limit", limit));
        // PostgreSQL cannot infer the type of a parameter that is only compared with NULL.
        foreach (DbParameter parameter in command.Parameters)
            if (parameter.ParameterName is "@state" or "@study") parameter.DbType = System.Data.DbType.String;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var jobs = new List<JobSummary>();
        while (await reader.ReadAsync(cancellationToken)) jobs.Add(Read(reader));
        return jobs;
    }

    /// <summary>Each listed job's sink deliveries, in delivery order; a job no sink has tried yet has none.</summary>
    public async Task<IReadOnlyDictionary<long, IReadOnlyList<SinkDelivery>>> SinksAsync(IReadOnlyCollection<long> jobIds,
        CancellationToken cancellationToken = default)
    {
        var found = new Dictionary<long, List<SinkDelivery>>();
        await using var connection = await dialect.OpenConnection(cancellationToken);
        // An operator command never migrates: a store the worker has not yet taken to version 4 has no sink states.
        if (jobIds.Count == 0 || await SchemaVersionAsync(connection, cancellationToken) < SinkStatesVersion)
            return new Dictionary<long, IReadOnlyList<SinkDelivery>>();
        var parameters = jobIds.Select((id, i) => ($"j{i}", (object?)id)).ToArray();
        await using var command = SqlCommands.Create(connection,
            $"SELECT job_id, {SqlJobStore.SinkColumns} FROM job_sinks WHERE job_id IN ({string.Join(", ", parameters.Select(p => "@" + p.Item1))})",
            parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var jobId = Convert.ToInt64(reader.GetValue(0));
            if (!found.TryGetValue(jobId, out var list)) found[jobId] = list = [];
            list.Add(SqlJobStore.ReadSink(reader, offset: 1));
        }
        return found.ToDictionary(f => f.Key, f => (IReadOnlyList<SinkDelivery>)[.. f.Value.InDeliveryOrder()]);
    }

    private const int SinkStatesVersion = 4;

    private static async Task<int> SchemaVersionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
    }

    private static JobSummary Read(DbDataReader r)
    {
        DateTimeOffset? Time(int i) => r.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(r.GetValue(i)));
        return new JobSummary(
            Id: Convert.ToInt64(r.GetValue(0)),
            StudyInstanceUid: r.GetString(1),
            Priority: (JobPriority)Convert.ToInt32(r.GetValue(2)),
            State: JobStateNames.Parse(r.GetString(3)),
            Attempts: Convert.ToInt32(r.GetValue(4)),
            EnqueuedAt: Time(5)!.Value,
            NextAttemptAt: Time(6),
            LastError: r.IsDBNull(7) ? null : r.GetString(7),
            UpdatedAt: Time(8)!.Value);
    }
}

/// <summary>One row of the operator listing.</summary>
public sealed record JobSummary(long Id, string StudyInstanceUid, JobPriority Priority, JobState State, int Attempts,
    DateTimeOffset EnqueuedAt, DateTimeOffset? NextAttemptAt, string? LastError, DateTimeOffset UpdatedAt);
