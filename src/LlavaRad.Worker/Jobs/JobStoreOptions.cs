namespace LlavaRad.Worker.Jobs;

/// <summary>Bound from "JobStore".</summary>
public sealed class JobStoreOptions
{
    public const string Section = "JobStore";
    public const string Sqlite = "sqlite";
    public const string PostgreSql = "postgresql";

    /// <summary>"sqlite" (embedded default, one worker) or "postgresql" (several workers).</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>SQLite file path; created if absent.</summary>
    public string SqlitePath { get; set; } = "llavarad-jobs.db";

    /// <summary>How long a claimed job stays leased without a heartbeat before another worker may take it.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts before a job is dead-lettered.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>First retry delay; doubles each attempt up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Aging: one priority level is worth this much waiting. A routine study that has waited longer than this is
    /// taken before an urgent one that has just arrived, so nothing starves.
    /// </summary>
    public TimeSpan PriorityStep { get; set; } = TimeSpan.FromMinutes(30);
}
