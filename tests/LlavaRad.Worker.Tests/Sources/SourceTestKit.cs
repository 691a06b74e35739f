using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Options;
using LlavaRad.Worker.Sources;
using LlavaRad.Worker.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlavaRad.Worker.Tests.Sources;

/// <summary>A real SQLite job store database (cursors live there) and the pieces a source needs, on a manual clock.</summary>
public sealed class SourceTestKit : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public SourceTestKit(StudySourcesOptions? options = null)
    {
        Options = options ?? new StudySourcesOptions();
        Dialect = JobStoreDialects.Sqlite(_dir.File("jobs.db"));
        JobStoreSchema.MigrateAsync(Dialect, CancellationToken.None).GetAwaiter().GetResult();
        Cursors = new SqlCursorStore(Dialect, Clock);
        Metrics = new WorkerMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
    }

    public StudySourcesOptions Options { get; }
    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.Zero));
    public SqlDialect Dialect { get; }
    public SqlCursorStore Cursors { get; }
    public WorkerMetrics Metrics { get; }
    public RecordingStudySubmitter Submitter { get; } = new();

    /// <summary>A new gate over the same database: what a restarted worker would build.</summary>
    public StudyStabilityGate NewGate() => new(Cursors, Submitter, Microsoft.Extensions.Options.Options.Create(Options), Clock, Metrics,
        NullLogger<StudyStabilityGate>.Instance);

    public void Dispose()
    {
        _services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
