using System.Diagnostics.Metrics;
using LlavaRad.Worker.Jobs;

namespace LlavaRad.Worker.Telemetry;

/// <summary>
/// Counts jobs by priority and state every few seconds. The gauge callback is synchronous and runs on every
/// scrape, so it reads this snapshot instead of querying the database itself.
/// </summary>
public sealed class QueueDepthSampler : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(5);
    private readonly JobQueries _queries;
    private readonly ILogger<QueueDepthSampler> _logger;
    // One sample at a time: a slow sample that read the store earlier must not publish over a newer one.
    private readonly SemaphoreSlim _sampling = new(1, 1);
    private volatile IReadOnlyList<JobCount> _snapshot = [];

    public QueueDepthSampler(IMeterFactory meterFactory, JobQueries queries, ILogger<QueueDepthSampler> logger)
    {
        _queries = queries;
        _logger = logger;
        meterFactory.Create(WorkerMetrics.MeterName).CreateObservableGauge("llavarad.worker.queue.depth", Observe, "{job}",
            "Jobs in the store by priority and state (sampled every few seconds)");
    }

    public IEnumerable<Measurement<long>> Observe() => _snapshot.Select(c => new Measurement<long>(c.Count,
        new KeyValuePair<string, object?>("priority", WorkerMetrics.PriorityTag(c.Priority)),
        new KeyValuePair<string, object?>("state", c.State.ToText())));

    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        await _sampling.WaitAsync(cancellationToken);
        try
        {
            var counts = await _queries.CountByPriorityAndStateAsync(cancellationToken);
            // Every combination is reported, zeros included, so a drained queue reads 0 rather than a stale value.
            _snapshot = (from priority in Enum.GetValues<JobPriority>()
                         from state in Enum.GetValues<JobState>()
                         select new JobCount(priority, state, counts.GetValueOrDefault((priority, state)))).ToList();
        }
        finally
        {
            _sampling.Release();
        }
    }

    public override void Dispose()
    {
        _sampling.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        do
        {
            try
            {
                await SampleAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                TelemetryLog.QueueDepthNotSampled(_logger, TelemetryLog.JobStoreUnreachable, e.GetType().Name);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

public sealed record JobCount(JobPriority Priority, JobState State, int Count);
