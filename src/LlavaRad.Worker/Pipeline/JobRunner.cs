using System.Diagnostics;
using LlavaRad.Worker.Jobs;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Pipeline;

/// <summary>
/// Claims jobs and runs them through the pipeline, <see cref="PipelineOptions.Concurrency"/> at a time. A running
/// job's lease is renewed by a heartbeat; if it is lost, the attempt stops. Outcomes: drafted -> succeeded; a final
/// coded reason -> rejected; a transient one -> retried with backoff, then dead-lettered. A worker killed mid-job
/// leaves its lease to expire, and the next claim re-runs the job; the idempotent write-back keeps one draft.
/// </summary>
public sealed class JobRunner(
    IJobStore store,
    IStudyPipeline pipeline,
    KillSwitch killSwitch,
    IOptions<PipelineOptions> options,
    IOptions<JobStoreOptions> storeOptions,
    IEnumerable<IJobOutcomeObserver> observers,
    ILogger<JobRunner> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(1, options.Value.Concurrency)
            .Select(slot => Task.Run(() => LoopAsync($"{options.Value.WorkerId}/{slot}", stoppingToken), stoppingToken)));

    private async Task LoopAsync(string leaseOwner, CancellationToken stoppingToken)
    {
        var killSwitchLogged = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (killSwitch.Engaged)
                {
                    if (!killSwitchLogged) logger.LogWarning("kill-switch-engaged: {Owner} claims no new jobs", leaseOwner);
                    killSwitchLogged = true;
                    await Task.Delay(options.Value.IdlePollInterval, stoppingToken);
                    continue;
                }
                killSwitchLogged = false;
                var job = await store.ClaimNextAsync(leaseOwner, stoppingToken);
                if (job is null)
                {
                    await Task.Delay(options.Value.IdlePollInterval, stoppingToken);
                    continue;
                }
                await RunAsync(job, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The job store itself failed (database down): wait and try again; leases keep the jobs safe.
                logger.LogError("job-store-unavailable: {Error}", e.GetType().Name);
                await Task.Delay(options.Value.IdlePollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task RunAsync(Job job, CancellationToken stoppingToken)
    {
        var clock = Stopwatch.StartNew();
        // One span per attempt, parent of the stage spans and of the gRPC and FHIR calls; tags carry no patient data.
        using var span = Telemetry.WorkerActivity.Source.StartActivity("job");
        span?.SetTag("llavarad.job.id", job.Id);
        span?.SetTag("llavarad.job.priority", Telemetry.WorkerMetrics.PriorityTag(job.Priority));
        var (code, final, draft) = await AttemptAsync(job, stoppingToken);
        span?.SetTag("llavarad.job.outcome", code);
        if (code is null) return; // the lease was lost: another worker owns the job now
        JobState state;
        try
        {
            state = draft is not null ? await FinishAsync(store.SucceedAsync(job, CancellationToken.None), JobState.Succeeded)
                : final ? await FinishAsync(store.RejectAsync(job, code, CancellationToken.None), JobState.Rejected)
                : await store.FailAsync(job, code, CancellationToken.None);
        }
        catch (LeaseLostException)
        {
            logger.LogWarning("lease-lost: job {JobId} finished elsewhere; this attempt's result is dropped", job.Id);
            return;
        }

        logger.LogInformation("job {JobId} attempt {Attempt}: {Code} -> {State} in {Milliseconds} ms",
            job.Id, job.Attempts, code.Split(':')[0], state.ToText(), clock.ElapsedMilliseconds);
        var outcome = new JobOutcome(job, code.Split(':')[0], state, draft, clock.Elapsed);
        foreach (var observer in observers) observer.OnAttemptFinished(outcome);
    }

    /// <summary>
    /// Runs the pipeline under a heartbeat. Returns the code (drafted, or the reason with its message for the job's
    /// last_error), whether it is final, and the draft; a null code when the lease was lost mid-way.
    /// </summary>
    private async Task<(string? Code, bool Final, StudyDraft? Draft)> AttemptAsync(Job job, CancellationToken stoppingToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var heartbeat = HeartbeatAsync(job, attempt);
        try
        {
            return (PipelineReasons.Drafted, true, await pipeline.RunAsync(job, attempt.Token));
        }
        catch (StudyPipelineException e) when (!e.Transient)
        {
            return (e.Code, true, null);
        }
        catch (StudyPipelineException e)
        {
            return ($"{e.Code}: {e.Message}", false, null);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning("lease-lost: job {JobId} was taken over; this attempt stops", job.Id);
            return (null, false, null);
        }
        // Shutting down (stoppingToken) propagates: the lease expires and the job is claimed again after restart.
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError("{Code}: job {JobId} failed with {Error}", PipelineReasons.Unexpected, job.Id, e.GetType().Name);
            return ($"{PipelineReasons.Unexpected}: {e.GetType().Name}", false, null);
        }
        finally
        {
            await attempt.CancelAsync();
            await heartbeat;
        }
    }

    private static async Task<JobState> FinishAsync(Task finish, JobState state)
    {
        await finish;
        return state;
    }

    private async Task HeartbeatAsync(Job job, CancellationTokenSource attempt)
    {
        var interval = options.Value.HeartbeatInterval > TimeSpan.Zero ? options.Value.HeartbeatInterval : storeOptions.Value.Lease / 3;
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(attempt.Token))
            {
                try
                {
                    await store.HeartbeatAsync(job, attempt.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException and not LeaseLostException)
                {
                    // A missed heartbeat is not fatal: the lease is several intervals long, so keep beating.
                    logger.LogWarning("heartbeat-failed: job {JobId} ({Error})", job.Id, e.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (LeaseLostException)
        {
            await attempt.CancelAsync();
        }
    }
}
