using LlavaRad.Worker.Options;
using LlavaRad.Worker.Telemetry;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Sources;

/// <summary>
/// The loop every polling source shares: poll, wait the interval (or go on at once when more is waiting), and on
/// a failure log its coded reason and back off. A peer that is down never stops the host.
/// </summary>
public abstract class PollingSource(IOptions<StudySourcesOptions> options, WorkerMetrics metrics, ILogger logger) : BackgroundService
{
    protected StudySourcesOptions Settings => options.Value;

    protected WorkerMetrics Metrics => metrics;

    protected ILogger Logger => logger;

    /// <summary>Short, stable, used in logs, metrics and cursor names.</summary>
    public abstract string Name { get; }

    protected abstract TimeSpan Interval { get; }

    /// <summary>One poll; true when the peer said more is waiting.</summary>
    public abstract Task<bool> PollOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var more = await PollOnceAsync(stoppingToken);
                if (failures > 0) logger.LogInformation("Source {Source} recovered after {Failures} failed polls", Name, failures);
                failures = 0;
                wait = more ? TimeSpan.Zero : Interval;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                failures++;
                var reason = SourceFailures.Code(e);
                var retry = options.Value.Retry;
                wait = SourceFailures.Backoff(failures, retry.FirstDelay, retry.MaxDelay);
                metrics.RecordSourceFailure(Name, reason);
                SourceLog.PollFailed(logger, Name, reason, e.GetType().Name, failures, wait);
            }
            try
            {
                if (wait > TimeSpan.Zero) await Task.Delay(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
